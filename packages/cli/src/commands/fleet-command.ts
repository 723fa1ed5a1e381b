import { setTimeout as sleep } from 'node:timers/promises';
import {
  FLEET_USAGE_MAX_MINUTES,
  type MarketplaceConfigService,
  summarizeFleet,
} from '@cartae/plugin-admin/service';
import type { Command } from 'commander';
import { type ConnectionFlags, connect, withConnection } from '../support/control-plane-client.ts';
import { describeFleet } from '../support/describe-fleet.ts';
import { CliError, exitCodeFor } from '../support/exit-codes.ts';
import { numberOption } from '../support/number-option.ts';
import type { Output } from '../support/output.ts';

/** How often `--watch` reads again: apps report once a minute, the edge writes about as often. */
export const FLEET_WATCH_INTERVAL_MS = 15_000;

type FleetFlags = ConnectionFlags & { minutes: number; watch?: boolean };

/** One reading: the usage, the current config version and the summary both views print. */
async function readFleet(service: MarketplaceConfigService, minutes: number) {
  const [usage, config] = await Promise.all([service.getFleetUsage(minutes), service.get()]);
  if (!usage.ok) throw new CliError(usage.error.message, exitCodeFor(usage.error.kind));
  const currentVersion = config.ok ? config.value.version : undefined;
  return { ...usage.value, currentVersion, summary: summarizeFleet(usage.value, currentVersion) };
}

export function registerFleetCommand(program: Command, globals: () => ConnectionFlags & { output: Output }) {
  withConnection(
    program
      .command('fleet')
      .description('Show what the installed apps report, per source; installs and convergence (admins only)')
      .option(
        '--minutes <n>',
        `the window, ending now (1 to ${FLEET_USAGE_MAX_MINUTES}: 7 days)`,
        numberOption('--minutes', { min: 1, max: FLEET_USAGE_MAX_MINUTES, integer: true }),
        60,
      )
      .option(
        '--watch',
        `read again every ${FLEET_WATCH_INTERVAL_MS / 1000} s until Ctrl-C (with --json: one line per reading)`,
      )
      .addHelpText(
        'after',
        `
Shares are of each source's requests; latency percentiles come from the reports' histograms
("> 5 s": slower than the last bucket); the quota is the lowest the apps saw in the latest
minute that reported one. Installs and convergence are those of the latest complete minute.
Exit codes: 0 ok (also when Ctrl-C ends --watch) · 3 not a marketplace admin · 6 unreachable.`,
      ),
  ).action(async (flags: FleetFlags) => {
    const g = globals();
    let { service } = await connect({ ...g, ...flags }, { write: true });
    const print = (reading: Awaited<ReturnType<typeof readFleet>>) => {
      if (g.output.json && flags.watch) process.stdout.write(`${JSON.stringify(reading)}\n`);
      else g.output.result(reading, () => describeFleet(reading, reading.summary));
    };
    print(await readFleet(service, flags.minutes));
    if (!flags.watch) return;

    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    const tty = process.stdout.isTTY === true && !g.output.json;
    while (!stop.signal.aborted) {
      g.output.note(`Next reading in ${FLEET_WATCH_INTERVAL_MS / 1000} s · Ctrl-C stops`);
      try {
        await sleep(FLEET_WATCH_INTERVAL_MS, undefined, { signal: stop.signal });
      } catch {
        break; // Ctrl-C: the watch ends as asked, with exit code 0.
      }
      try {
        const reading = await readFleet(service, flags.minutes).catch(async (error) => {
          // A watch outlives an access token: sign in again once, then read again.
          if (!(error instanceof CliError) || error.exitCode !== exitCodeFor('not_authorised')) throw error;
          ({ service } = await connect({ ...g, ...flags }, { write: true }));
          return readFleet(service, flags.minutes);
        });
        if (tty) process.stdout.write('\x1b[2J\x1b[H');
        print(reading);
      } catch (error) {
        // One failed reading does not end a watch: say so and try again at the next tick.
        g.output.note(`✖ ${(error as Error).message}`);
      }
    }
  });
}
