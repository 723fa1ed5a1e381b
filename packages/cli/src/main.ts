/**
 * cartae-marketplace — run the whole marketplace stack locally, and steer a real control plane.
 * `npm start` runs `cartae-marketplace up`.
 */
import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerAlertsCommand } from './commands/alerts-command.ts';
import { registerAutomationCommand } from './commands/automation-command.ts';
import { registerControlPlaneCommands } from './commands/control-plane-commands.ts';
import { registerFleetCommand } from './commands/fleet-command.ts';
import { registerHostsCommand } from './commands/hosts-command.ts';
import { registerMigrateCommand } from './commands/migrate-command.ts';
import { registerRegistryCommand } from './commands/registry-command.ts';
import { registerSimulateCommand } from './commands/simulate-command.ts';
import { registerUpCommand } from './commands/up-command.ts';
import { CliError, EXIT } from './support/exit-codes.ts';
import { createOutput } from './support/output.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');

const program = new Command('cartae-marketplace')
  .description('Steer where every Cartae app fetches its plugin marketplace.')
  .option('--json', 'machine-readable output on stdout')
  .option('--data-dir <dir>', 'local state (PGlite, Worker KV, dev admin)', resolve(repoRoot, '.data'))
  // A usage error says what is wrong and where the help is, not the whole help again.
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();

const globals = () => {
  const opts = program.opts<{ json?: boolean; dataDir: string }>();
  return { output: createOutput(opts.json === true), dataDir: opts.dataDir, repoRoot };
};

registerUpCommand(program, globals);
registerControlPlaneCommands(program, globals);
registerFleetCommand(program, globals);
registerAlertsCommand(program, globals);
registerAutomationCommand(program, globals);
registerHostsCommand(program, globals);
registerMigrateCommand(program, globals);
registerRegistryCommand(program, globals);
registerSimulateCommand(program, globals);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (error instanceof CliError) {
    if (program.opts().json)
      process.stdout.write(`${JSON.stringify({ error: error.message, exitCode: error.exitCode })}\n`);
    // A declined or impossible confirmation is an answer, not a failure: no ✖.
    process.stderr.write(error.exitCode === EXIT.cancelled ? `${error.message}\n` : `✖ ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`✖ unexpected: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = EXIT.failure;
  }
}
