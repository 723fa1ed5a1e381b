import type { Command } from 'commander';
import { type Globals, openAutomation, unwrap } from '../support/automation-session.ts';
import { withConnection } from '../support/control-plane-client.ts';
import { automationView, describeAutomation } from '../support/describe-automation.ts';
import { registerAutomationConfigCommands } from './automation-config-commands.ts';
import { registerAutomationSettingsCommands } from './automation-settings-commands.ts';

/**
 * `automation`: everything about the fleet automation (admins only), and its subcommands. The
 * kill switch, the webhook and the source health rule are fleet settings (no config version, no
 * app sees them); the automatic switch, the rollout guard and the canary ramp live in the config
 * document and change it through `update_app_config` with the expected version.
 */
export function registerAutomationCommand(program: Command, globals: Globals): void {
  const automation = withConnection(
    program
      .command('automation')
      .description(
        'Show and steer the fleet automation: kill switch, auto-switch, rollout guard, canary ramp, alerts',
      )
      .addHelpText(
        'after',
        `
The connection flags go with \`automation\` and apply to every subcommand. Changes ask for
confirmation unless --yes (or --json); one that changes nothing says so and writes nothing.
Exit codes: 0 ok · 2 usage · 3 not a marketplace admin · 4 someone saved the config meanwhile ·
5 refused (the database's words) · 6 unreachable · 8 cancelled.`,
      ),
  );
  automation.action(async () => {
    const { output, service, fleet } = await openAutomation(automation, globals);
    const [settings, config] = await Promise.all([fleet.settings(), service.get()]);
    const view = automationView(unwrap(settings), unwrap(config));
    output.result(view, () => describeAutomation(view));
  });
  registerAutomationSettingsCommands(automation, globals);
  registerAutomationConfigCommands(automation, globals);
}
