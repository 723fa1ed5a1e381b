import {
  describeConvergence,
  describeOtherVersions,
  FLEET_EMPTY_MESSAGE,
  FLEET_FIGURE_ROWS,
  type FleetSummary,
  type FleetUsage,
  fleetWindowName,
  formatCount,
} from '@cartae/plugin-admin/service';

/** Rows of cells as a plain-text table: the first column left-aligned, the others right-aligned. */
function textTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

/** `2026-11-30 15:20–16:20 UTC`, or `2026-11-29 16:20 → 2026-11-30 16:20 UTC` across days. */
export function span(from: string, to: string): string {
  const [fromDay, fromTime] = [from.slice(0, 10), from.slice(11, 16)];
  const [toDay, toTime] = [to.slice(0, 10), to.slice(11, 16)];
  return fromDay === toDay
    ? `${fromDay} ${fromTime}–${toTime} UTC`
    : `${fromDay} ${fromTime} → ${toDay} ${toTime} UTC`;
}

/**
 * The fleet summary as the admin panel shows it, for a terminal: the window, one column per
 * source, then active installs, convergence and stale serves.
 *
 * @example
 * console.log(describeFleet(usage, summarizeFleet(usage, 14)));
 */
export function describeFleet(usage: FleetUsage, summary: FleetSummary): string {
  const window = `Fleet — ${fleetWindowName(usage.minutes)}${usage.from && usage.to ? ` (${span(usage.from, usage.to)})` : ''}`;
  if (summary.empty) return `${window}\n\n${FLEET_EMPTY_MESSAGE}`;
  const table = textTable([
    ['', ...summary.sources.map((s) => s.label)],
    ...FLEET_FIGURE_ROWS.map((row) => [row.name, ...summary.sources.map(row.value)]),
  ]);
  const others = describeOtherVersions(summary.convergence);
  return [
    window,
    '',
    table,
    '',
    `Active installs:  ${formatCount(summary.activeInstalls)} (in the latest complete minute)`,
    `Config version:   ${describeConvergence(summary.convergence)}${others ? ` (still on ${others})` : ''}`,
    `Stale serves:     ${formatCount(summary.staleServes)} (answered from the last good copy: every source failed)`,
  ].join('\n');
}
