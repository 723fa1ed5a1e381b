import {
  type FleetSettings,
  type FleetSettingsChange,
  maskWebhookUrl,
  validateFleetSettingsChange,
} from '@cartae/marketplace-core';
import type { Command } from 'commander';
import {
  type AutomationSession,
  type Globals,
  openAutomation,
  unwrap,
} from '../support/automation-session.ts';
import { confirmOrCancel } from '../support/confirm.ts';
import { CliError, EXIT } from '../support/exit-codes.ts';
import { anyNumber } from '../support/number-option.ts';
import { readWebhookSecret, type SecretFlags } from '../support/webhook-secret.ts';

type Yes = { yes?: boolean };

/** Refuses before sending, in the database's words (the database checks again). */
function checked(change: FleetSettingsChange): FleetSettingsChange {
  // Loopback http is the database's call (`allow_loopback_http`): it refuses in the same words.
  const result = validateFleetSettingsChange(change, { allowLoopbackHttp: true });
  if (!result.ok) throw new CliError(`The fleet settings were refused: ${result.error}`, EXIT.invalid);
  return result.value;
}

/** Sends the change after the question; says so when the database found nothing to change. */
async function applySettings(
  session: AutomationSession,
  before: FleetSettings,
  change: FleetSettingsChange,
  question: string,
  yes: boolean,
  done: string,
  extra: { secret?: string } = {},
) {
  await confirmOrCancel(question, yes || session.output.json);
  const settings = unwrap(await session.fleet.update(change));
  const changed = settings.updatedAt !== before.updatedAt;
  session.output.result({ changed, settings, ...extra }, () =>
    changed ? `✔ ${done}` : 'Nothing to change: the settings already say so; nothing was written.',
  );
}

export function registerAutomationSettingsCommands(automation: Command, globals: Globals): void {
  for (const paused of [true, false]) {
    automation
      .command(paused ? 'pause' : 'resume')
      .description(
        paused
          ? 'The kill switch: no automatic switch, rollback or promotion until resumed (alerts still flow)'
          : 'Let the automation act again',
      )
      .option('-y, --yes', 'do not ask for confirmation')
      .action(async (flags: Yes, command: Command) => {
        const session = await openAutomation(command, globals);
        const current = unwrap(await session.fleet.settings());
        if (current.automationPaused === paused) {
          const by = current.updatedByEmail ? ` (by ${current.updatedByEmail})` : '';
          session.output.result({ changed: false, settings: current }, () =>
            paused
              ? `The automation is already paused${by}; nothing was changed.`
              : 'The automation is already running; nothing was changed.',
          );
          return;
        }
        await confirmOrCancel(
          paused
            ? `Pause the fleet automation on ${session.target}? No automatic switch, rollback or promotion until someone resumes it; alerts still flow.`
            : `Resume the fleet automation on ${session.target}? Automatic switches, rollbacks and promotions act again from the next minute.`,
          flags.yes === true || session.output.json,
        );
        const settings = unwrap(await session.fleet.update({ automationPaused: paused }));
        session.output.result({ changed: true, settings }, () =>
          paused
            ? '✔ automation paused: no automatic switch, rollback or promotion until `automation resume`'
            : '✔ automation resumed',
        );
      });
  }

  automation
    .command('webhook')
    .description('Where alerts are POSTed, and the secret that signs them')
    .argument('<url>', 'an https URL, or "none" to stop sending alerts (the feed keeps them)')
    .option('--secret-file <path>', 'set the signing secret from a file (16 to 256 characters)')
    .option(
      '--secret-stdin',
      'set the signing secret from standard input (needs --yes: stdin is not a terminal)',
    )
    .option('--generate-secret', 'set a new random secret and print it, once')
    .option('--no-secret', 'remove the secret: alerts go unsigned')
    .option('-y, --yes', 'do not ask for confirmation')
    .addHelpText(
      'after',
      '\nThe secret is never taken as an argument (it would land in shell history) and never shown\nback, except once by --generate-secret. Without a secret option the secret stays as it is.',
    )
    .action(async (url: string, flags: SecretFlags & Yes, command: Command) => {
      const secret = await readWebhookSecret(flags);
      const change = checked({
        webhookUrl: url === 'none' ? null : url,
        ...(secret === undefined ? {} : { webhookSecret: secret }),
      });
      const session = await openAutomation(command, globals);
      const where =
        url === 'none' ? 'Stop sending alerts to a webhook' : `Send alerts to ${maskWebhookUrl(url)}`;
      const signing =
        secret === undefined
          ? ''
          : secret === null
            ? ', unsigned (secret removed)'
            : ', signed with a new secret';
      await applySettings(
        session,
        unwrap(await session.fleet.settings()),
        change,
        `${where}${signing} on ${session.target}?`,
        flags.yes === true,
        `${url === 'none' ? 'webhook removed' : `alerts go to ${maskWebhookUrl(url)}`}${signing}${
          flags.generateSecret
            ? `\nThe new secret, shown this once (give it to the receiver to check signatures):\n${secret}`
            : ''
        }`,
        flags.generateSecret && typeof secret === 'string' ? { secret } : {},
      );
    });

  automation
    .command('source-alert')
    .description('When a source counts as unhealthy across the fleet (an alert each time that changes)')
    .option(
      '--error-percent <n>',
      'errors above this share of its requests (1 to 100)',
      anyNumber('--error-percent'),
    )
    .option('--window <minutes>', 'over this many complete minutes (1 to 60)', anyNumber('--window'))
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (flags: Yes & { errorPercent?: number; window?: number }, command: Command) => {
      if (flags.errorPercent === undefined && flags.window === undefined) {
        throw new CliError('Give --error-percent, --window or both.', EXIT.usage);
      }
      const rule = {
        ...(flags.errorPercent === undefined ? {} : { errorPercent: flags.errorPercent }),
        ...(flags.window === undefined ? {} : { windowMinutes: flags.window }),
      };
      const change = checked({ sourceAlert: rule });
      const session = await openAutomation(command, globals);
      const current = unwrap(await session.fleet.settings());
      const next = { ...current.sourceAlert, ...rule };
      const said = `errors above ${next.errorPercent} % over ${next.windowMinutes} min`;
      if (
        next.errorPercent === current.sourceAlert.errorPercent &&
        next.windowMinutes === current.sourceAlert.windowMinutes
      ) {
        session.output.result(
          { changed: false, settings: current },
          () => `The source alert already is ${said}; nothing was changed.`,
        );
        return;
      }
      await applySettings(
        session,
        current,
        change,
        `Alert when a source has ${said} (now ${current.sourceAlert.errorPercent} % over ${current.sourceAlert.windowMinutes} min) on ${session.target}?`,
        flags.yes === true,
        `source alert: ${said}`,
      );
    });
}
