import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { type ConnectionFlags, connect, withConnection } from '../support/control-plane-client.ts';
import { describeAlert } from '../support/describe-alert.ts';
import { CliError, exitCodeFor } from '../support/exit-codes.ts';
import { type FleetAlert, FleetSettingsClient } from '../support/fleet-settings-client.ts';
import { numberOption } from '../support/number-option.ts';
import type { Output } from '../support/output.ts';

/** How often `--watch` reads by default: settings changes land at once, the Worker's each minute. */
export const ALERTS_WATCH_INTERVAL_SECONDS = 5;
/** The most `get_fleet_alerts` answers at once. */
const PAGE = 500;

type AlertsFlags = ConnectionFlags & { limit: number; watch?: boolean; interval: number };

function unwrapAlerts(result: Awaited<ReturnType<FleetSettingsClient['alerts']>>): FleetAlert[] {
  if (!result.ok) throw new CliError(result.error.message, exitCodeFor(result.error.kind));
  return result.value;
}

/** The alerts after `lastId`, oldest first, paging back as far as needed. */
async function alertsAfter(fleet: FleetSettingsClient, lastId: number): Promise<FleetAlert[]> {
  const fresh: FleetAlert[] = [];
  let beforeId: number | undefined;
  for (;;) {
    const page = unwrapAlerts(await fleet.alerts({ limit: PAGE, ...(beforeId ? { beforeId } : {}) }));
    const newer = page.filter((a) => a.id > lastId);
    fresh.push(...newer);
    if (newer.length < PAGE) return fresh.reverse();
    beforeId = newer[newer.length - 1]?.id;
  }
}

export function registerAlertsCommand(program: Command, globals: () => ConnectionFlags & { output: Output }) {
  withConnection(
    program
      .command('alerts')
      .description(
        'Show the alert feed, newest first: automatic actions, source health, settings changes (admins only)',
      )
      .option(
        '--limit <n>',
        'how many (1 to 500)',
        numberOption('--limit', { min: 1, max: PAGE, integer: true }),
        20,
      )
      .option('--watch', 'then print new alerts as they come, until Ctrl-C (with --json: one line per alert)')
      .option(
        '--interval <seconds>',
        'with --watch: how often to read',
        numberOption('--interval', { min: 1, max: 300, integer: true }),
        ALERTS_WATCH_INTERVAL_SECONDS,
      )
      .addHelpText(
        'after',
        `
Times are local. With --watch the latest alerts are printed oldest first, as a log grows, and each
new one below them. Exit codes: 0 ok (also when Ctrl-C ends --watch) · 3 not a marketplace admin ·
6 unreachable.`,
      ),
  ).action(async (flags: AlertsFlags) => {
    const g = globals();
    const signIn = async () =>
      new FleetSettingsClient((await connect({ ...g, ...flags }, { write: true })).supabase);
    let fleet = await signIn();
    const latest = unwrapAlerts(await fleet.alerts({ limit: flags.limit }));
    if (!flags.watch) {
      g.output.result(latest, () => (latest.length ? latest.map(describeAlert).join('\n') : 'no alerts yet'));
      return;
    }

    const print = (alert: FleetAlert) =>
      process.stdout.write(`${g.output.json ? JSON.stringify(alert) : describeAlert(alert)}\n`);
    [...latest].reverse().forEach(print);
    let lastId = latest[0]?.id ?? 0;
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    g.output.note(`Watching for new alerts every ${flags.interval} s · Ctrl-C stops`);
    while (!stop.signal.aborted) {
      try {
        await sleep(flags.interval * 1000, undefined, { signal: stop.signal });
      } catch {
        break; // Ctrl-C: the watch ends as asked, with exit code 0.
      }
      try {
        const fresh = await alertsAfter(fleet, lastId).catch(async (error) => {
          // A watch outlives an access token: sign in again once, then read again.
          if (!(error instanceof CliError) || error.exitCode !== exitCodeFor('not_authorised')) throw error;
          fleet = await signIn();
          return alertsAfter(fleet, lastId);
        });
        fresh.forEach(print);
        lastId = fresh[fresh.length - 1]?.id ?? lastId;
      } catch (error) {
        // One failed reading does not end a watch: say so and try again at the next tick.
        g.output.note(`✖ ${(error as Error).message}`);
      }
    }
  });
}
