import { formatCount, formatLatency, formatQuota, formatShare, type SourceFigures } from './fleet-figures.ts';

/** One figure of the per-source table: its name, and how one source's value reads. */
export interface FleetFigureRow {
  readonly name: string;
  readonly value: (source: SourceFigures) => string;
}

/** A share with its count behind it when there is one: `3.3 % (5)`. */
const shareOf = (value: number | null, count: number) =>
  count > 0 ? `${formatShare(value)} (${formatCount(count)})` : formatShare(value);

/**
 * The figures shown per source, in order — the admin panel's table and the CLI's print the same
 * rows in the same words. Shares are of that source's requests.
 *
 * @example
 * FLEET_FIGURE_ROWS.map((r) => `${r.name}: ${r.value(git)}`); // ['Requests: 160', 'Errors: 5.6 % (9)', …]
 */
export const FLEET_FIGURE_ROWS: readonly FleetFigureRow[] = [
  { name: 'Requests', value: (s) => formatCount(s.requests) },
  { name: 'Errors', value: (s) => shareOf(s.errorShare, s.errors) },
  { name: 'Rate-limited (429)', value: (s) => shareOf(s.rateLimitedShare, s.rateLimited) },
  { name: 'Fallbacks to it', value: (s) => formatCount(s.fallbacks) },
  { name: 'Latency p50', value: (s) => formatLatency(s.p50) },
  { name: 'Latency p95', value: (s) => formatLatency(s.p95) },
  { name: 'Quota left (lowest)', value: (s) => formatQuota(s.quotaRemaining, s.quotaLimit) },
];

/** What the fleet views say when no app has reported in the window. */
export const FLEET_EMPTY_MESSAGE =
  'No reports yet: apps report through the edge endpoint (configUrl) once a minute.';

/** `last hour`, `last day`, `last 15 minutes`: a window's name in headings. */
export function fleetWindowName(minutes: number): string {
  if (minutes === 60) return 'last hour';
  if (minutes === 1440) return 'last day';
  if (minutes === 10_080) return 'last 7 days';
  return minutes === 1 ? 'last minute' : `last ${minutes} minutes`;
}
