import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { numberOption } from '../support/number-option.ts';
import type { Output } from '../support/output.ts';
import { createProgressBar } from '../support/progress-bar.ts';

/** `simulate`: the fleet in virtual time, the user's design and ours side by side. */
export function registerSimulateCommand(
  program: Command,
  globals: () => { output: Output; repoRoot: string },
) {
  program
    .command('simulate')
    .description(
      "Simulate a fleet in virtual time (no sockets): a switch and a Git rate-limit episode, the user's design vs ours",
    )
    .option(
      '--installs <n>',
      'installed apps',
      numberOption('--installs', { min: 1, max: 1_000_000, integer: true }),
      10_000,
    )
    .option('--hours <h>', 'simulated hours', numberOption('--hours', { min: 1, max: 168 }), 24)
    .option(
      '--seed <n>',
      'random seed (same seed, same report)',
      numberOption('--seed', { min: 0, max: 2 ** 31, integer: true }),
      1,
    )
    .option(
      '--switch-at <hour>',
      'hour of the admin switch to the CDN',
      numberOption('--switch-at', { min: 0, max: 168 }),
      14,
    )
    .option('--no-switch', 'no admin switch')
    .option(
      '--rate-limit-at <hour>',
      'hour the Git rate-limit episode starts',
      numberOption('--rate-limit-at', { min: 0, max: 168 }),
      10,
    )
    .option(
      '--rate-limit-minutes <m>',
      'length of the episode',
      numberOption('--rate-limit-minutes', { min: 1, max: 1440 }),
      40,
    )
    .option('--no-rate-limit', 'no rate-limit episode')
    .option('--out <dir>', 'where simulation.md, .svg and .json go', 'bench/results')
    .action(async (flags) => {
      const g = globals();
      // Loaded on use: the simulation is not needed by any other command.
      const { renderHighlights, renderMarkdown, renderSvg, runSimulation } = await import(
        '@cartae/fleet-simulation'
      );
      const bar = createProgressBar(!g.output.json);
      const began = Date.now();
      const report = runSimulation(
        {
          installs: flags.installs,
          hours: flags.hours,
          seed: flags.seed,
          switchAtHour: flags.switch === false ? null : flags.switchAt,
          rateLimitEpisode:
            flags.rateLimit === false
              ? null
              : { startHour: flags.rateLimitAt, minutes: flags.rateLimitMinutes },
        },
        (p) => bar.update(p.fraction, `${p.strategy}: ${p.simulatedHours.toFixed(1)} / ${p.totalHours} h`),
      );
      bar.done();
      const out = resolve(g.repoRoot, flags.out);
      await mkdir(out, { recursive: true });
      const markdown = renderMarkdown(report);
      await Promise.all([
        writeFile(join(out, 'simulation.md'), markdown),
        writeFile(join(out, 'simulation.svg'), renderSvg(report)),
        writeFile(join(out, 'simulation.json'), `${JSON.stringify(report, null, 2)}\n`),
      ]);
      // The automatic switch and telemetry's load, the figures most asked for, again at the end.
      const highlights = renderHighlights(report);
      g.output.result(
        { report, files: ['simulation.md', 'simulation.svg', 'simulation.json'].map((f) => join(out, f)) },
        () =>
          `${markdown}\n${highlights.map((line) => `${line}\n`).join('')}Written to ${out}/simulation.{md,svg,json} in ${(
            (Date.now() - began) / 1000
          ).toFixed(1)} s.`,
      );
    });
}
