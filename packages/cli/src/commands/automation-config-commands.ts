import { type MarketplaceError, validateMarketplaceConfig } from '@cartae/marketplace-core';
import { Argument, type Command } from 'commander';
import {
  currentRampHold,
  editAutoSwitch,
  editCanaryRamp,
  editRolloutGuard,
  parseRampSteps,
} from '../support/automation-edits.ts';
import { type Globals, openAutomation, unwrap } from '../support/automation-session.ts';
import { confirmOrCancel } from '../support/confirm.ts';
import { describeConfigChange } from '../support/describe-config-change.ts';
import { CliError, EXIT } from '../support/exit-codes.ts';
import { anyNumber } from '../support/number-option.ts';

type Document = Record<string, unknown>;
type EditFlags = { yes?: boolean; reason?: string };

/**
 * One edit of the config document: read it with its version, edit, validate (the database's
 * words), show what changes, confirm, save with the expected version (a concurrent save is a
 * conflict, not a lost update). Nothing changed: no version.
 */
async function applyConfigEdit(
  command: Command,
  globals: Globals,
  flags: EditFlags,
  edit: (document: Document) => Document,
  done: string,
  note?: (next: Document) => string | undefined,
): Promise<void> {
  const session = await openAutomation(command, globals);
  const current = unwrap(await session.service.get());
  const next = edit(current.document);
  // The command changes no URL; whether loopback http is allowed is the database's call.
  const valid = validateMarketplaceConfig(next, { allowLoopbackHttp: true });
  if (!valid.ok) throw new CliError(`The configuration was refused: ${refusal(valid.error)}`, EXIT.invalid);
  const changes = describeConfigChange(current.document, next);
  if (changes.length === 0) {
    session.output.result(
      { changed: false, changes, config: current },
      () => `Nothing to change: ${done} already (version ${current.version} stays).`,
    );
    return;
  }
  const said = note?.(next);
  if (said) session.output.note(said);
  const listed = changes.map((line) => `  ${line}`).join('\n');
  await confirmOrCancel(
    `Change the config on ${session.target} (version ${current.version}; the control plane acts on it from its next minute):\n${listed}`,
    flags.yes === true || session.output.json,
  );
  const saved = unwrap(
    await session.service.update(next, {
      expectedVersion: current.version,
      ...(flags.reason ? { reason: flags.reason } : {}),
    }),
  );
  session.output.result(
    { changed: true, changes, config: saved },
    () => `✔ ${done}: version ${saved.version}\n${listed}`,
  );
}

/**
 * The validator's words as the database says them: `canaryRamp.steps must be …` once, not
 * `canaryRamp.steps.1: canaryRamp.steps must be …` per element the schema looked at.
 */
function refusal(error: MarketplaceError): string {
  const said = (error.issues ?? []).map(({ path, message }) => {
    const parts = path.split('.');
    while (parts.length > 0 && !message.startsWith(parts.join('.'))) parts.pop();
    return parts.length > 0 ? message : `${path}: ${message}`;
  });
  return said.length > 0
    ? [...new Set(said)].join('; ')
    : error.message.replace(/^invalid marketplace_source: /, '');
}

const editOptions = (command: Command) =>
  command
    .option('--reason <text>', 'why, kept in the history')
    .option('-y, --yes', 'do not ask for confirmation');

export function registerAutomationConfigCommands(automation: Command, globals: Globals): void {
  editOptions(
    automation
      .command('auto-switch')
      .description('Switch the fleet away from Git when it is rate-limited (config: autoSwitch)')
      .addArgument(new Argument('<state>', 'on or off').choices(['on', 'off']))
      .option(
        '--threshold <percent>',
        'share of requests and of installs rate-limited (0 to 100)',
        anyNumber('--threshold'),
      )
      .option('--window <minutes>', 'over this many minutes (1 to 1440)', anyNumber('--window'))
      .option('--target <target>', 'switch to: git, cloudflare, hybrid-cdn-first, hybrid-git-first'),
  ).action(
    async (
      state: 'on' | 'off',
      flags: EditFlags & { threshold?: number; window?: number; target?: string },
      command: Command,
    ) =>
      applyConfigEdit(
        command,
        globals,
        flags,
        (d) => editAutoSwitch(d, state === 'on', flags),
        `auto-switch ${state}`,
      ),
  );

  editOptions(
    automation
      .command('guard')
      .description(
        'Roll a config change back when its sources err (config: rolloutGuard; absent: on, 5 % over 10 min)',
      )
      .addArgument(
        new Argument('<state>', 'on, off, or default (remove it: on, 5 % over 10 min)').choices([
          'on',
          'off',
          'default',
        ]),
      )
      .option(
        '--error-percent <n>',
        'roll back above this error share (0 to 100)',
        anyNumber('--error-percent'),
      )
      .option('--window <minutes>', 'watch a change this long (1 to 1440)', anyNumber('--window')),
  ).action(
    async (
      state: 'on' | 'off' | 'default',
      flags: EditFlags & { errorPercent?: number; window?: number },
      command: Command,
    ) => {
      if (state === 'default' && (flags.errorPercent !== undefined || flags.window !== undefined)) {
        throw new CliError(
          'guard default takes no --error-percent or --window: it uses 5 % over 10 min.',
          EXIT.usage,
        );
      }
      await applyConfigEdit(
        command,
        globals,
        flags,
        (d) => editRolloutGuard(d, state, flags),
        `rollout guard ${state}`,
      );
    },
  );

  editOptions(
    automation
      .command('ramp')
      .description('Raise a hybrid canary step by step (config: canaryRamp)')
      .argument('<steps>', 'off, or the canary steps in percent, increasing and ending at 100: 10,50,100')
      .option(
        '--hold <minutes>',
        'how long each step holds before the next (1 to 10080)',
        anyNumber('--hold'),
      ),
  ).action(async (stepsText: string, flags: EditFlags & { hold?: number }, command: Command) => {
    if (stepsText === 'off') {
      if (flags.hold !== undefined) throw new CliError('ramp off takes no --hold.', EXIT.usage);
      await applyConfigEdit(command, globals, flags, (d) => editCanaryRamp(d, 'off'), 'canary ramp off');
      return;
    }
    const steps = parseRampSteps(stepsText);
    await applyConfigEdit(
      command,
      globals,
      flags,
      (d) => {
        const holdMinutes = flags.hold ?? currentRampHold(d);
        if (holdMinutes === undefined)
          throw new CliError('Give --hold <minutes>: how long each step holds.', EXIT.usage);
        return editCanaryRamp(d, { steps, holdMinutes });
      },
      `canary ramp ${steps.join(' → ')} %`,
      (next) =>
        next.type === 'hybrid'
          ? undefined
          : `Note: the ramp raises a hybrid config's canary; the fleet is on ${String(next.type)}, so it waits until a switch to hybrid.`,
    );
  });
}
