import { formatCount, formatDuration } from './format.ts';
import type { OutcomeSeries, SimulationReport, StrategyReport } from './simulation-report.ts';

const WIDTH = 960;
const PANEL_HEIGHT = 150;
const PANEL_GAP = 72;
const LEFT = 56;
const RIGHT = 16;
const TOP = 80;
const BOTTOM = 40;

/** Bottom to top in each panel. */
const LAYERS = [
  { key: 'cloudflare', label: 'Cloudflare CDN', color: '#f38020' },
  { key: 'git', label: 'Git', color: '#57606a' },
  { key: 'stale', label: 'last good copy (stale)', color: '#d4a72c' },
  { key: 'failed', label: 'no answer (error)', color: '#cf222e' },
] as const;

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function n(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Per bin, the cumulative share (0..1) at the top of each layer; empty bins repeat the last shares. */
function stackedShares(series: OutcomeSeries): number[][] {
  const bins = series.cloudflare.length;
  const tops: number[][] = LAYERS.map(() => []);
  let last = [1, 1, 1, 1];
  for (let b = 0; b < bins; b++) {
    const counts = LAYERS.map((layer) => series[layer.key][b] ?? 0);
    const total = counts.reduce((a, c) => a + c, 0);
    if (total > 0) {
      let sum = 0;
      last = counts.map((c) => {
        sum += c;
        return sum / total;
      });
    }
    last.forEach((top, i) => {
      tops[i]?.push(top);
    });
  }
  return tops;
}

const AUTO_SWITCH_COLOR = '#8250df';

/** " · automatic switch at 10:08" for a strategy whose automation fired ("never" when it did not). */
function autoSwitchNote(s: StrategyReport): string {
  const at = s.automation?.switchedAtMs ?? null;
  if (at === null) return s.automation ? ' · automatic switch: never' : '';
  const minutes = Math.round(at / 60_000);
  const clock = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  return ` · automatic switch at ${clock}`;
}

function panel(s: StrategyReport, index: number, report: SimulationReport, plotWidth: number): string {
  const { hours, switchAtHour, rateLimitEpisode } = report.options;
  const y0 = TOP + index * (PANEL_HEIGHT + PANEL_GAP);
  const x = (hour: number) => LEFT + (hour / hours) * plotWidth;
  const y = (share: number) => y0 + PANEL_HEIGHT * (1 - share);
  const binHours = s.series.binMinutes / 60;
  const tops = stackedShares(s.series);
  const parts: string[] = [];
  const p = s.propagation;
  const stats = `switch p99 ${formatDuration(p?.p99Ms ?? null)} · control plane ${formatCount(
    s.controlPlane.meanPerHour,
  )}/h · Git ${formatCount(s.git.meanPerHour)}/h (${formatCount(s.gitProbes)} probes in all) · errors seen by users ${formatCount(
    s.users.failed,
  )}${autoSwitchNote(s)}`;
  parts.push(
    `<text x="${LEFT}" y="${y0 - 22}" class="panel-title">${escapeXml(`(${String.fromCharCode(97 + index)}) ${s.label}`)}</text>`,
    `<text x="${LEFT}" y="${y0 - 7}" class="tick">${escapeXml(stats)}</text>`,
  );
  for (let layer = LAYERS.length - 1; layer >= 0; layer--) {
    const top = tops[layer] ?? [];
    const below = layer === 0 ? top.map(() => 0) : (tops[layer - 1] ?? []);
    const upper = top.map((share, b) => `${n(x((b + 0.5) * binHours))},${n(y(share))}`);
    const lower = below.map((share, b) => `${n(x((b + 0.5) * binHours))},${n(y(share))}`).reverse();
    if (upper.length === 0) continue;
    const color = LAYERS[layer]?.color ?? '#000';
    parts.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}"/>`);
  }
  if (rateLimitEpisode) {
    // Drawn over the areas, translucent, so what happened during the episode stays readable.
    const from = x(rateLimitEpisode.startHour);
    const to = x(Math.min(hours, rateLimitEpisode.startHour + rateLimitEpisode.minutes / 60));
    parts.push(
      `<rect x="${n(from)}" y="${y0}" width="${n(Math.max(1, to - from))}" height="${PANEL_HEIGHT}" fill="#ffffff" fill-opacity="0.35" stroke="#1f2328" stroke-dasharray="2 2"/>`,
      `<text x="${n((from + to) / 2)}" y="${y0 + 14}" text-anchor="middle" class="tick">429</text>`,
    );
  }
  parts.push(
    `<rect x="${LEFT}" y="${y0}" width="${n(plotWidth)}" height="${PANEL_HEIGHT}" fill="none" stroke="#8c959f"/>`,
  );
  for (const share of [0, 0.5, 1]) {
    parts.push(
      `<text x="${LEFT - 6}" y="${n(y(share) + 4)}" text-anchor="end" class="tick">${share * 100} %</text>`,
    );
  }
  const step = hours <= 24 ? 2 : hours <= 72 ? 6 : 24;
  for (let h = 0; h <= hours; h += step) {
    parts.push(
      `<line x1="${n(x(h))}" y1="${y0 + PANEL_HEIGHT}" x2="${n(x(h))}" y2="${y0 + PANEL_HEIGHT + 4}" stroke="#57606a"/>`,
      `<text x="${n(x(h))}" y="${y0 + PANEL_HEIGHT + 16}" text-anchor="middle" class="tick">${hours > 24 ? h % 24 : h}h</text>`,
    );
  }
  const auto = s.automation?.switchedAtMs ?? null;
  if (auto !== null) {
    const ax = x(auto / 3_600_000);
    parts.push(
      `<line x1="${n(ax)}" y1="${y0 - 2}" x2="${n(ax)}" y2="${y0 + PANEL_HEIGHT}" stroke="${AUTO_SWITCH_COLOR}" stroke-width="2" stroke-dasharray="2 2"/>`,
    );
  }
  if (switchAtHour !== null) {
    parts.push(
      `<line x1="${n(x(switchAtHour))}" y1="${y0 - 2}" x2="${n(x(switchAtHour))}" y2="${y0 + PANEL_HEIGHT}" stroke="#0969da" stroke-width="2" stroke-dasharray="5 3"/>`,
    );
  }
  return `<g class="panel">${parts.join('')}</g>`;
}

/**
 * A chart of what answered the fleet's marketplace requests over time — the share per source,
 * stale copy and error — one panel per strategy, with the rate-limit episode shaded and the
 * switch marked. Self-contained SVG written by hand (no library).
 *
 * @example
 * await writeFile(join(out, 'simulation.svg'), renderSvg(report));
 */
export function renderSvg(report: SimulationReport): string {
  const count = report.strategies.length;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const height = TOP + count * PANEL_HEIGHT + (count - 1) * PANEL_GAP + BOTTOM;
  const { installs, hours, seed, switchAtHour } = report.options;
  let legendX = LEFT;
  const legend = [
    ...LAYERS.map((layer) => ({ color: layer.color, label: layer.label })),
    { color: '#0969da', label: 'admin switch' },
    ...(report.strategies.some((s) => s.automation !== null)
      ? [{ color: AUTO_SWITCH_COLOR, label: 'auto switch' }]
      : []),
    // Shorter with the automatic switch's entry, so that the legend fits the width.
    {
      color: '#eaeef2',
      label: report.strategies.some((s) => s.automation !== null)
        ? 'Git rate-limit episode'
        : 'Git rate-limit episode (429)',
    },
  ]
    .map(({ color, label }) => {
      const x = legendX;
      // About 6.5 px per character at 11 px: enough room without measuring text.
      legendX += 17 + label.length * 6.5 + 18;
      return `<rect x="${n(x)}" y="32" width="12" height="12" fill="${color}" stroke="#8c959f"/><text x="${n(
        x + 17,
      )}" y="42" class="tick">${escapeXml(label)}</text>`;
    })
    .join('');
  const heading = `Share of marketplace requests by what answered them — ${formatCount(installs)} installs, ${hours} h, seed ${seed}${
    switchAtHour === null ? '' : `, switch Git → CDN at ${switchAtHour}h`
  }`;
  const panels = report.strategies.map((s, i) => panel(s, i, report, plotWidth)).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(heading)}">`,
    '<style>text{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;fill:#1f2328}.tick{font-size:11px}.panel-title{font-size:12px;font-weight:600}.title{font-size:14px;font-weight:700}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="18" class="title">${escapeXml(heading)}</text>`,
    legend,
    panels,
    '</svg>',
    '',
  ].join('\n');
}
