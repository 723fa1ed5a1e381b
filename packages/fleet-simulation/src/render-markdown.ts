import { formatClock, formatCount, formatDuration, formatShare } from './format.ts';
import type {
  AutomationReport,
  SimulationReport,
  StrategyReport,
  TelemetryReport,
} from './simulation-report.ts';

type Row = readonly [string, ...string[]];

function table(header: Row, rows: readonly Row[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [line(header), line(align), ...rows.map(line)].join('\n');
}

function meanPeak(series: { meanPerHour: number; peakPerHour: number }): string {
  return `${formatCount(series.meanPerHour)} / ${formatCount(series.peakPerHour)}`;
}

function ttlCell(s: StrategyReport): string {
  return s.spec.kind === 'resolver'
    ? `${s.configTtlSeconds} (−0…20 % jitter)`
    : `${s.configTtlSeconds} (no jitter)`;
}

function ceilingCell(s: StrategyReport, edgeLocations: number, cacheSeconds: number): string {
  if (s.controlPlaneCeilingPerHour === null) return 'none: one per open app per TTL';
  return `${formatCount(s.controlPlaneCeilingPerHour)} (${edgeLocations} × 3600 / ${cacheSeconds} s)`;
}

/** Rows on fleet telemetry's load, for strategies that send it ("—" for the others). */
function telemetryRows(report: SimulationReport): Row[] {
  const s = report.strategies;
  if (s.every((x) => x.telemetry === null)) return [];
  const each = (f: (t: TelemetryReport) => string) => s.map((x) => (x.telemetry ? f(x.telemetry) : '—'));
  return [
    [
      'Telemetry: config polls carrying a usage report/hour, mean / peak (each replaces a GET: no extra request)',
      ...each((t) => meanPeak(t.reportCarryingPolls)),
    ],
    ['Telemetry: extra Worker requests', ...each((t) => formatCount(t.extraWorkerRequests))],
    [
      'Telemetry: reports aggregated / late (minute already closed) / refused per address, whole period',
      ...each(
        (t) =>
          `${formatCount(t.reportsAccepted)} / ${formatCount(t.reportsLate)} / ${formatCount(t.reportsAddressLimited)}`,
      ),
    ],
    [
      'Telemetry: minutes an app dropped unsent (over 3 held or too old) / held when it closed',
      ...each((t) => `${formatCount(t.minutesDropped)} / ${formatCount(t.minutesLostOnExit)}`),
    ],
    [
      'Telemetry: Durable Object requests/hour (one per report), mean / peak',
      ...each((t) => meanPeak(t.shardRequests)),
    ],
    [
      'Telemetry: Durable Object storage rows written/hour, mean / peak, all shards',
      ...each((t) => `${meanPeak(t.storageRowsWritten)} (${t.shards} shards)`),
    ],
    [
      '… of which checkpoints / minute closing / flush bookkeeping / state row, whole period',
      ...each(
        (t) =>
          `${formatCount(t.storageRowsByCause.checkpoint)} / ${formatCount(t.storageRowsByCause.close)} / ${formatCount(
            t.storageRowsByCause.flush,
          )} / ${formatCount(t.storageRowsByCause.state)}`,
      ),
    ],
    ['… checkpoints (storage transactions)/hour, mean / peak', ...each((t) => meanPeak(t.checkpoints))],
    [
      'Telemetry: control-plane writes (ingest_usage_aggregates calls)/hour, mean / peak (bound: one per shard per minute)',
      ...each((t) => `${meanPeak(t.controlPlaneWrites)} (${formatCount(t.controlPlaneWriteCeilingPerHour)})`),
    ],
    [
      'Automation: evaluate_fleet_automation calls/hour (the Worker cron)',
      ...each((t) => formatCount(t.evaluationsPerHour)),
    ],
  ];
}

/** 480000 → "8.0 min". */
function formatMinutes(ms: number): string {
  return `${(ms / 60_000).toFixed(1)} min`;
}

function clockOf(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const clock = formatClock(Math.floor(seconds / 60) / 60);
  const rest = seconds % 60;
  return rest === 0 ? clock : `${clock}:${String(rest).padStart(2, '0')}`;
}

/** Rows on the automatic switch, for strategies whose document enables it ("—" for the others). */
function automationRows(report: SimulationReport): Row[] {
  const s = report.strategies;
  if (s.every((x) => x.automation === null)) return [];
  const each = (f: (a: AutomationReport) => string) => s.map((x) => (x.automation ? f(x.automation) : '—'));
  const rows: Row[] = [
    [
      'Automatic switch: rule',
      ...each(
        (a) => `Git rate-limited ≥ ${a.rateLimitedPercent} % over ${a.windowMinutes} min → ${a.target}`,
      ),
    ],
    [
      'Automatic switch: written by the control plane at (after the episode start)',
      ...each((a) =>
        a.switchedAtMs === null
          ? 'never'
          : `${clockOf(a.switchedAtMs)}${a.episodeToSwitchMs === null ? '' : ` (+${formatMinutes(a.episodeToSwitchMs)})`}`,
      ),
    ],
    [
      '… evidence: Git requests rate-limited, install-minutes rate-limited, installs in the busiest minute',
      ...each((a) =>
        a.evidence === null
          ? '—'
          : `${formatCount(a.evidence.rateLimited)} of ${formatCount(a.evidence.requests)}, ${formatCount(
              a.evidence.rateLimitedInstallMinutes,
            )} of ${formatCount(a.evidence.installMinutes)}, ${formatCount(a.evidence.installs)}`,
      ),
    ],
    [
      'Automatic switch reaching open apps, p50 / p99 (apps open then)',
      ...each((a) =>
        a.propagation === null
          ? '—'
          : `${formatDuration(a.propagation.p50Ms)} / ${formatDuration(a.propagation.p99Ms)} (${formatCount(
              a.propagation.runningAtSwitch,
            )})`,
      ),
    ],
  ];
  if (report.options.rateLimitEpisode !== null) {
    rows.push([
      'Episode start → 99 % of open apps on the automatic switch',
      ...each((a) => (a.episodeToFleetP99Ms === null ? '—' : formatMinutes(a.episodeToFleetP99Ms))),
    ]);
  }
  return rows;
}

function summaryRows(report: SimulationReport): Row[] {
  const s = report.strategies;
  const { network, targetP99Seconds } = report.options;
  const each = (f: (x: StrategyReport) => string) => s.map(f);
  const rows: Row[] = [['Config TTL, seconds', ...each(ttlCell)]];
  if (report.options.switchAtHour !== null) {
    rows.push(
      ['Apps open at the switch', ...each((x) => formatCount(x.propagation?.runningAtSwitch ?? 0))],
      [
        'Switch propagation to open apps, p50 / p99',
        ...each(
          (x) =>
            `${formatDuration(x.propagation?.p50Ms ?? null)} / ${formatDuration(x.propagation?.p99Ms ?? null)}`,
        ),
      ],
      [
        'Switch propagation, p90 / max',
        ...each(
          (x) =>
            `${formatDuration(x.propagation?.p90Ms ?? null)} / ${formatDuration(x.propagation?.maxMs ?? null)}`,
        ),
      ],
      [
        'Open apps closed before adopting it',
        ...each((x) => formatCount(x.propagation?.closedBeforeAdopting ?? 0)),
      ],
      [`p99 ≤ ${targetP99Seconds} s?`, ...each((x) => (x.meetsTarget ? 'yes' : 'no'))],
    );
  }
  rows.push(
    ['Control-plane (Supabase) requests/hour, mean / peak', ...each((x) => meanPeak(x.controlPlane))],
    [
      '… of which duplicate edge misses (a read for the same data centre in flight), whole period',
      ...each((x) => (x.controlPlaneCeilingPerHour === null ? '—' : formatCount(x.controlPlaneDuplicates))),
    ],
    [
      'Fleet-size-independent bound: one read per data centre per CONFIG_CACHE_SECONDS, per hour',
      ...each((x) => ceilingCell(x, network.edgeLocations, network.edgeConfigCacheSeconds)),
    ],
    [
      'Config requests to the Worker/hour, mean / peak',
      ...each((x) => (x.edgeConfig.peakPerHour === 0 ? '—' : meanPeak(x.edgeConfig))),
    ],
    ['Git requests/hour, mean / peak', ...each((x) => meanPeak(x.git))],
    [
      'Git requests rate-limited (429), whole period',
      ...each((x) => `${formatCount(x.gitRateLimited)} (${formatShare(x.gitRateLimitedShare)})`),
    ],
    ['… of which re-admission probes, whole period', ...each((x) => formatCount(x.gitProbes))],
    ['CDN requests/hour, mean / peak', ...each((x) => meanPeak(x.cdn))],
  );
  if (report.options.rateLimitEpisode !== null) {
    rows.push(
      [
        'Git requests/min during the episode (just before it)',
        ...each((x) =>
          x.episode
            ? `${x.episode.gitRequestsPerMinute.toFixed(1)} (${x.episode.gitRequestsPerMinuteBefore.toFixed(1)})`
            : '—',
        ),
      ],
      [
        '… of which re-admission probes (count during the episode)',
        ...each((x) => formatCount(x.episode?.gitProbes ?? 0)),
      ],
      [
        'Git requests rate-limited (429) during the episode',
        ...each((x) => formatCount(x.episode?.gitRateLimited ?? 0)),
      ],
      [
        'User requests failed during the episode',
        ...each((x) =>
          x.episode
            ? `${formatCount(x.episode.userFailed)} of ${formatCount(x.episode.userRequests)} (${formatShare(
                x.episode.userRequests ? x.episode.userFailed / x.episode.userRequests : 0,
              )})`
            : '—',
        ),
      ],
    );
  }
  rows.push(
    [
      'User requests failed, whole period',
      ...each(
        (x) =>
          `${formatCount(x.users.failed)} (${formatShare(x.users.total ? x.users.failed / x.users.total : 0)})`,
      ),
    ],
    ['User requests answered from the last good copy (stale)', ...each((x) => formatCount(x.users.stale))],
    ['User requests answered after a fallback', ...each((x) => formatCount(x.users.fallbacks))],
    ...automationRows(report),
    ...telemetryRows(report),
  );
  return rows;
}

function hourlyTable(report: SimulationReport): string {
  const s = report.strategies;
  const hours = s[0]?.controlPlane.perHour.length ?? 0;
  const header: Row = [
    'hour',
    ...s.map((_x, i) => `control plane (${String.fromCharCode(97 + i)})`),
    ...s.map((_x, i) => `Git, 429 share (${String.fromCharCode(97 + i)})`),
  ];
  const rows: Row[] = [];
  for (let h = 0; h < hours; h++) {
    rows.push([
      formatClock(h),
      ...s.map((x) => formatCount(x.controlPlane.perHour[h] ?? 0)),
      ...s.map((x) => {
        const git = x.git.perHour[h] ?? 0;
        const limited = x.gitRateLimitedPerHour[h] ?? 0;
        return git === 0 ? '0' : `${formatCount(git)} (${formatShare(limited / git)})`;
      }),
    ]);
  }
  return table(header, rows);
}

/**
 * The report as markdown: the scenario, a side-by-side table of the strategies, and hourly
 * control-plane and Git figures.
 *
 * @example
 * await writeFile(join(out, 'simulation.md'), renderMarkdown(runSimulation({ seed: 1 })));
 */
export function renderMarkdown(report: SimulationReport): string {
  const { options: o, fleet: f } = report;
  const episode = o.rateLimitEpisode;
  const scenario = [
    `- Fleet: ${formatCount(f.installs)} installs, ${formatCount(f.sessions)} app sessions, ${formatCount(
      f.userRequests,
    )} marketplace requests, at most ${formatCount(f.peakOpenApps)} apps open at once; seed ${o.seed}.`,
    `- Switch: ${
      o.switchAtHour === null ? 'none' : `at ${formatClock(o.switchAtHour)} to ${JSON.stringify(o.switchTo)}`
    }, from Git (the built-in default).`,
    `- Git: ${o.network.gitLimitPerHour} requests/hour per public address; ${formatCount(f.addresses)} addresses, ${formatCount(
      f.sharedAddressInstalls,
    )} installs behind ${o.network.sharedIps} shared ones (largest: ${formatCount(f.largestAddressInstalls)} installs).`,
    `- Rate-limit episode: ${
      episode === null
        ? 'none'
        : `${formatClock(episode.startHour)}–${formatClock(episode.startHour + episode.minutes / 60)}, Git answers 429 with retry-after ${episode.retryAfterSeconds} s to everyone`
    }.`,
    `- Edge: ${o.network.edgeLocations} data centres, CONFIG_CACHE_SECONDS ${o.network.edgeConfigCacheSeconds}, ${
      o.network.edgeSingleFlight
        ? 'concurrent misses coalesced (as the Worker does)'
        : 'no coalescing of concurrent misses'
    }.`,
    `- Telemetry (ours, edge endpoint): one usage report a minute at most per app, riding on its config poll; ${o.network.usageShards} aggregation shards; evaluate_fleet_automation every minute.`,
  ].join('\n');
  const legend = report.strategies.map((s, i) => `- (${String.fromCharCode(97 + i)}) ${s.label}`).join('\n');
  const header: Row = ['', ...report.strategies.map((s, i) => `(${String.fromCharCode(97 + i)}) ${s.label}`)];
  return [
    `# Fleet simulation: ${formatCount(f.installs)} installs over ${o.hours} h`,
    '',
    scenario,
    '',
    table(header, summaryRows(report)),
    '',
    '## Per hour',
    '',
    legend,
    '',
    hourlyTable(report),
    '',
  ].join('\n');
}

/**
 * The automatic switch and telemetry's load in a few lines, for a terminal: for each strategy
 * with automation, when it switched and what it saved during the episode against the first
 * strategy with telemetry and no automation; and telemetry's cost. Empty when none applies.
 *
 * @example
 * console.log(renderHighlights(report).join('\n'));
 */
export function renderHighlights(report: SimulationReport): string[] {
  const lines: string[] = [];
  const baseline = report.strategies.find((s) => s.telemetry !== null && s.automation === null);
  for (const s of report.strategies) {
    const a = s.automation;
    if (a === null) continue;
    const when =
      a.switchedAtMs === null
        ? 'never fired'
        : `fired at ${clockOf(a.switchedAtMs)}${
            a.episodeToSwitchMs === null
              ? ''
              : `, ${formatMinutes(a.episodeToSwitchMs)} after the episode began`
          }; 99 % of open apps followed ${formatDuration(a.propagation?.p99Ms ?? null)} later`;
    const saved =
      s.episode && baseline?.episode
        ? `; Git 429s during the episode: ${formatCount(s.episode.gitRateLimited)} (${formatCount(
            baseline.episode.gitRateLimited,
          )} without it)`
        : '';
    lines.push(`Automatic switch (${s.label}): ${when}${saved}.`);
  }
  const t = (baseline ?? report.strategies.find((s) => s.telemetry !== null))?.telemetry;
  if (t) {
    lines.push(
      `Telemetry: ${formatCount(t.reportCarryingPolls.meanPerHour)} report-carrying polls/hour (0 extra Worker requests), ${formatCount(
        t.storageRowsWritten.meanPerHour,
      )} Durable Object rows written/hour, ${formatCount(t.controlPlaneWrites.meanPerHour)} control-plane writes/hour (at most ${formatCount(
        t.controlPlaneWriteCeilingPerHour,
      )}).`,
    );
  }
  return lines;
}
