import { isSourceKind, LATENCY_BUCKET_COUNT, type SourceKind } from '@cartae/marketplace-core';

/** One source's totals over the window, as `get_fleet_usage` sums them. */
export interface FleetSourceTotals {
  readonly requests: number;
  readonly successes: number;
  readonly notModified: number;
  readonly errors: number;
  readonly rateLimited: number;
  readonly timeouts: number;
  readonly refused: number;
  readonly fallbacks: number;
  /** Counts per `LATENCY_BUCKETS_MS` bucket, overflow last; always `LATENCY_BUCKET_COUNT` long. */
  readonly latency: readonly number[];
  /** The lowest quota of the latest minute that reported one, with its limit; null when none did. */
  readonly quotaRemaining: number | null;
  readonly quotaLimit: number | null;
}

/** One minute of one source, summed over shards and config versions. */
export interface FleetMinute {
  /** Start of the minute, ISO 8601 (UTC). */
  readonly minute: string;
  readonly source: SourceKind;
  readonly requests: number;
  readonly errors: number;
  readonly rateLimited: number;
  readonly fallbacks: number;
  readonly installs: number;
}

/** Installs on one config version in the latest complete minute (0: the built-in default). */
export interface FleetVersionInstalls {
  readonly configVersion: number;
  readonly installs: number;
}

/** What the fleet reported over the last `minutes` minutes: `get_fleet_usage(p_minutes)`, read. */
export interface FleetUsage {
  /** Start of the window, ISO 8601; null when the answer did not carry a readable one. */
  readonly from: string | null;
  /** End of the window (exclusive: the start of the next minute); null when unreadable. */
  readonly to: string | null;
  readonly minutes: number;
  /** Sources this version knows that have data in the window. */
  readonly sources: Readonly<Partial<Record<SourceKind, FleetSourceTotals>>>;
  /** By minute, then source. */
  readonly series: readonly FleetMinute[];
  /** Newest version first. */
  readonly versions: readonly FleetVersionInstalls[];
  readonly activeInstalls: number;
  readonly staleServes: number;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
/** A count: a finite number of 0 or more, else 0 (a missing or garbled counter counts nothing). */
const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
const quota = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
const time = (value: unknown): string | null =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : null;
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);

function totals(raw: Json): FleetSourceTotals {
  const latency = Array.isArray(raw.latency) ? raw.latency : [];
  return {
    requests: count(raw.requests),
    successes: count(raw.successes),
    notModified: count(raw.notModified),
    errors: count(raw.errors),
    rateLimited: count(raw.rateLimited),
    timeouts: count(raw.timeouts),
    refused: count(raw.refused),
    fallbacks: count(raw.fallbacks),
    latency: Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => count(latency[i])),
    quotaRemaining: quota(raw.quotaRemaining),
    quotaLimit: quota(raw.quotaLimit),
  };
}

/**
 * Reads `get_fleet_usage`'s JSON without trusting it: source kinds this version does not know are
 * ignored (a newer control plane may count more), missing lists are empty, a missing or garbled
 * counter is 0, a latency histogram is always `LATENCY_BUCKET_COUNT` long. Only an answer that is
 * not a JSON object at all is refused (`undefined`). Pure; never throws.
 *
 * @example
 * parseFleetUsage({ minutes: 60, sources: { git: { requests: 3 }, r2: {} } }).sources; // { git: {…} }
 */
export function parseFleetUsage(data: unknown): FleetUsage | undefined {
  if (!isObject(data)) return undefined;
  const sources: Partial<Record<SourceKind, FleetSourceTotals>> = {};
  if (isObject(data.sources)) {
    for (const [kind, raw] of Object.entries(data.sources)) {
      if (isSourceKind(kind) && isObject(raw)) sources[kind] = totals(raw);
    }
  }
  const series = list(data.series).flatMap((m): FleetMinute[] => {
    const minute = time(m.minute);
    if (minute === null || !isSourceKind(m.source)) return [];
    return [
      {
        minute,
        source: m.source,
        requests: count(m.requests),
        errors: count(m.errors),
        rateLimited: count(m.rateLimited),
        fallbacks: count(m.fallbacks),
        installs: count(m.installs),
      },
    ];
  });
  const versions = list(data.versions).flatMap((v): FleetVersionInstalls[] =>
    Number.isInteger(v.configVersion) && count(v.configVersion) === v.configVersion
      ? [{ configVersion: v.configVersion as number, installs: count(v.installs) }]
      : [],
  );
  return {
    from: time(data.from),
    to: time(data.to),
    minutes: count(data.minutes),
    sources,
    series,
    versions,
    activeInstalls: count(data.activeInstalls),
    staleServes: count(data.staleServes),
  };
}
