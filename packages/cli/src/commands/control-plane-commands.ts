import { SOURCE_KINDS, type SourceKind } from '@cartae/marketplace-core';
import { propagationDelay, SOURCE_PRESETS, testSource, withPreset } from '@cartae/plugin-admin/service';
import { type Command, Option } from 'commander';
import { confirmOrCancel } from '../support/confirm.ts';
import { type ConnectionFlags, connect, withConnection } from '../support/control-plane-client.ts';
import { describeConfig } from '../support/describe-config.ts';
import { describeHistory } from '../support/describe-history.ts';
import { CliError, EXIT, exitCodeFor } from '../support/exit-codes.ts';
import { readLocalStack } from '../support/local-stack-file.ts';
import { numberOption } from '../support/number-option.ts';
import type { Output } from '../support/output.ts';
import {
  connectionFailure,
  isLocalStackSource,
  kindLabel,
  kindOfUrl,
} from '../support/source-test-target.ts';

/** The switch targets: the admin panel's presets, by id. */
const TARGET_IDS = SOURCE_PRESETS.map((p) => p.id).join(', ');

type Globals = () => ConnectionFlags & { output: Output };

function unwrap<T>(
  result:
    | { ok: true; value: T }
    | { ok: false; error: { kind: Parameters<typeof exitCodeFor>[0]; message: string } },
): T {
  if (!result.ok) throw new CliError(result.error.message, exitCodeFor(result.error.kind));
  return result.value;
}

export function registerControlPlaneCommands(program: Command, globals: Globals): void {
  withConnection(
    program.command('status').description('Show where the fleet fetches its marketplace now'),
  ).action(async (flags: ConnectionFlags) => {
    const g = globals();
    const { service, target } = await connect({ ...g, ...flags }, { write: false });
    const config = unwrap(await service.get());
    g.output.result({ target, ...config }, () => describeConfig(config, target));
  });

  withConnection(
    program
      .command('switch <target>')
      .description(`Move the whole fleet to another source: ${TARGET_IDS}`)
      .option(
        '--canary <percent>',
        'hybrid only: share of installs whose first choice is the first source',
        numberOption('--canary', { min: 0, max: 100, integer: true }),
      )
      .option('--reason <text>', 'why, kept in the history')
      .option('-y, --yes', 'do not ask for confirmation'),
  ).action(
    async (
      targetName: string,
      flags: ConnectionFlags & { canary?: number; reason?: string; yes?: boolean },
    ) => {
      const g = globals();
      const target = SOURCE_PRESETS.find((p) => p.id === targetName);
      if (!target) throw new CliError(`unknown target "${targetName}": use ${TARGET_IDS}`, EXIT.usage);
      if (flags.canary !== undefined && target.type !== 'hybrid') {
        throw new CliError('--canary only applies to hybrid targets', EXIT.usage);
      }
      const { service, target: url } = await connect({ ...g, ...flags }, { write: true });
      const current = unwrap(await service.get());
      const document = {
        ...withPreset(current.document, target),
        ...(flags.canary === undefined ? {} : { canaryPercent: flags.canary }),
      };
      await confirmOrCancel(
        `Switch every installed app on ${url} from ${String(current.document.type)} to ${target.name}? They follow ${propagationDelay(document)}.`,
        flags.yes === true || g.output.json,
      );
      const saved = unwrap(
        await service.update(document, {
          expectedVersion: current.version,
          ...(flags.reason ? { reason: flags.reason } : {}),
        }),
      );
      g.output.result(
        saved,
        () => `✔ switched to ${target.name}: version ${saved.version}\n${describeConfig(saved)}`,
      );
    },
  );

  program
    .command('test <url>')
    .description("Fetch a source's registry as an app would and validate it")
    .addOption(
      new Option(
        '--kind <kind>',
        'how the URL is laid out (default: git for a .json file, else cloudflare)',
      ).choices([...SOURCE_KINDS]),
    )
    .option('--allow-loopback-http', 'accept http:// for localhost (the local stack’s own URLs always are)')
    .action(async (url: string, flags: { kind?: SourceKind; allowLoopbackHttp?: boolean }) => {
      const g = globals();
      const kind = flags.kind ?? kindOfUrl(url);
      const allowLoopbackHttp =
        flags.allowLoopbackHttp === true || isLocalStackSource(url, readLocalStack(g.dataDir));
      // testSource words a failed connection for the admin panel (a browser, CORS); here it is
      // this machine that could not connect, and the reason is in the error's cause.
      let failure: unknown;
      const result = await testSource(kind, url, {
        policy: { allowLoopbackHttp },
        fetch: async (input, init) => {
          try {
            return await fetch(input, init);
          } catch (error) {
            failure = error;
            throw error;
          }
        },
      });
      const notConnected =
        !result.ok && result.status === undefined && failure && (failure as Error).name !== 'TimeoutError';
      const error = notConnected ? connectionFailure(failure) : result.error;
      const other = SOURCE_KINDS.find((k) => k !== kind);
      const hint =
        result.status === 404 && other
          ? ` (read as a ${kindLabel(kind)} URL; --kind ${other} if it is not)`
          : '';
      const shown = { kind, ...result, ...(error === undefined ? {} : { error }) };
      g.output.result(shown, () =>
        result.ok
          ? `✅ ${kindLabel(kind)} ${result.url}: HTTP ${result.status} in ${result.responseTimeMs} ms, registry version ${result.registryVersion}, ${result.pluginCount} plugins${result.rateLimitRemaining === undefined ? '' : `, ${result.rateLimitRemaining} requests left`}`
          : `❌ ${kindLabel(kind)} ${result.url}: ${error}${hint}`,
      );
      if (!result.ok) process.exitCode = EXIT.unreachable;
    });

  withConnection(
    program
      .command('history')
      .description('List the changes, newest first (admins only: it holds emails)')
      .option('--limit <n>', 'how many', numberOption('--limit', { min: 1, max: 500, integer: true }), 20)
      .option(
        '--before <id>',
        'page: entries older than this id',
        numberOption('--before', { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true }),
      ),
  ).action(async (flags: ConnectionFlags & { limit: number; before?: number }) => {
    const g = globals();
    const { service } = await connect({ ...g, ...flags }, { write: true });
    const entries = unwrap(
      await service.history({ limit: flags.limit, ...(flags.before ? { beforeId: flags.before } : {}) }),
    );
    g.output.result(entries, () => describeHistory(entries));
  });

  withConnection(
    program
      .command('rollback')
      .description('Restore the configuration of a history entry (asks for confirmation unless --yes)')
      .argument(
        '<id>',
        'the history entry (see `history`)',
        numberOption('<id>', { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true }),
      )
      .option('--reason <text>', 'why, kept in the history')
      .option('-y, --yes', 'do not ask for confirmation'),
  ).action(async (historyId: number, flags: ConnectionFlags & { reason?: string; yes?: boolean }) => {
    const g = globals();
    const { service, target } = await connect({ ...g, ...flags }, { write: true });
    await confirmOrCancel(
      `Roll every installed app on ${target} back to history entry #${historyId}?`,
      flags.yes === true || g.output.json,
    );
    const saved = unwrap(await service.rollback(historyId, flags.reason));
    g.output.result(
      saved,
      () => `✔ rolled back to #${historyId}: now version ${saved.version}\n${describeConfig(saved)}`,
    );
  });
}
