import { SOURCE_KINDS, type SourceKind } from '@cartae/marketplace-core';
import type { FleetUsage } from './fleet-usage.ts';

/** One minute's counts of one source, as the chart draws them. */
export interface MinuteCounts {
  readonly requests: number;
  readonly errors: number;
  readonly rateLimited: number;
}

/** One point of the chart: a minute (epoch ms) and each charted source's counts (zeros when silent). */
export interface MinuteRow {
  readonly at: number;
  readonly sources: Readonly<Partial<Record<SourceKind, MinuteCounts>>>;
}

const MINUTE_MS = 60_000;
/** The longest window `get_fleet_usage` serves (7 days): bounds the rows whatever the answer says. */
const MAX_ROWS = 10_080;
const ZERO: MinuteCounts = { requests: 0, errors: 0, rateLimited: 0 };

/**
 * The chart's rows: every complete minute of the window, in order, with zeros for a minute a
 * source did not report (a line drawn straight across a silent minute would invent traffic). The
 * current minute is left out: it is still being counted, and would look like a sudden drop. When
 * the answer carried no readable window, the series' own first and last minutes bound it.
 *
 * @example
 * minuteRows(usage).kinds; // ['git']: the sources that reported, in the table's order
 */
export function minuteRows(usage: FleetUsage): { kinds: SourceKind[]; rows: MinuteRow[] } {
  const kinds = SOURCE_KINDS.filter(
    (k) => usage.sources[k] !== undefined || usage.series.some((m) => m.source === k),
  );
  const byMinute = new Map<number, Partial<Record<SourceKind, MinuteCounts>>>();
  for (const m of usage.series) {
    const at = Math.floor(Date.parse(m.minute) / MINUTE_MS) * MINUTE_MS;
    const slot = byMinute.get(at) ?? {};
    const before = slot[m.source] ?? ZERO;
    slot[m.source] = {
      requests: before.requests + m.requests,
      errors: before.errors + m.errors,
      rateLimited: before.rateLimited + m.rateLimited,
    };
    byMinute.set(at, slot);
  }
  const seen = [...byMinute.keys()];
  const end = usage.to === null ? Math.max(...seen) + MINUTE_MS : Date.parse(usage.to) - MINUTE_MS;
  const first = Math.max(
    usage.from === null ? Math.min(...seen) : Date.parse(usage.from),
    end - MAX_ROWS * MINUTE_MS,
  );
  if (kinds.length === 0 || !Number.isFinite(first) || !Number.isFinite(end)) return { kinds, rows: [] };

  const rows: MinuteRow[] = [];
  for (let at = first; at < end; at += MINUTE_MS) {
    const slot = byMinute.get(at) ?? {};
    rows.push({ at, sources: Object.fromEntries(kinds.map((k) => [k, slot[k] ?? ZERO])) });
  }
  return { kinds, rows };
}
