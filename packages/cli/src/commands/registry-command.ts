import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { RegistryBuildError, writeRegistry } from '../registry/index.ts';
import { CliError, EXIT } from '../support/exit-codes.ts';
import type { Output } from '../support/output.ts';

/** `registry build`: registry/plugins/<id>.json → registry/registry.json (validated, deterministic). */
export function registerRegistryCommand(
  program: Command,
  globals: () => { output: Output; repoRoot: string },
) {
  const registry = program.command('registry').description('Work on the plugin registry');
  registry
    .command('build')
    .description('Generate registry.json from one file per plugin (plugins/<id>.json), validated')
    .option('--folder <dir>', 'the registry folder', 'registry')
    .option('--version <n>', 'registry version (default: previous + 1 when anything changed)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new InvalidArgumentError('--version must be a whole number ≥ 1');
      return n;
    })
    .option('--generated-at <iso>', 'ISO 8601 time of generation (default: now, when anything changed)')
    .option('--expires <iso>', 'ISO 8601 expiry (default: 365 days after generation)')
    .action(async (flags: { folder: string; version?: number; generatedAt?: string; expires?: string }) => {
      const g = globals();
      const folder = resolve(g.repoRoot, flags.folder);
      try {
        const built = await writeRegistry(folder, {
          ...(flags.version === undefined ? {} : { version: flags.version }),
          ...(flags.generatedAt ? { generatedAt: flags.generatedAt } : {}),
          ...(flags.expires ? { expires: flags.expires } : {}),
        });
        g.output.result(
          {
            path: built.path,
            changed: built.changed,
            version: built.document.version,
            previousVersion: built.previousVersion,
            plugins: built.pluginCount,
          },
          () =>
            built.changed
              ? `✔ ${built.path}: version ${built.document.version} with ${built.pluginCount} plugins (was ${built.previousVersion ?? 'absent'})`
              : `✔ ${built.path} is up to date: version ${built.document.version}, ${built.pluginCount} plugins`,
        );
      } catch (error) {
        if (error instanceof RegistryBuildError) throw new CliError(error.message, EXIT.invalid);
        throw error;
      }
    });
}
