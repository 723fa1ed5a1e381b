import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { MarketplaceError } from './marketplace-error.ts';
import { err, ok, type Result } from './result.ts';
import { SOURCE_KINDS, type SourceKind } from './source-kind.ts';

/**
 * Anonymous fleet telemetry, the contract between the resolver (which reports), the Worker (which
 * validates and aggregates at the edge) and the control plane (which stores per-minute aggregates).
 *
 * A report covers at most one minute of one install: counters per source, a latency histogram and
 * the lowest rate-limit quota seen. It carries no address, no install id — only `installDay`, a
 * hash of the install id salted with the UTC day, so distinct installs can be counted per day and
 * never followed from one day to the next.
 */

/** Upper bounds of the latency buckets, ms; the last bucket counts everything slower. */
export const LATENCY_BUCKETS_MS = [50, 100, 250, 500, 1000, 2500, 5000] as const;
/** Number of latency buckets in a report: one per bound, plus the overflow bucket. */
export const LATENCY_BUCKET_COUNT = LATENCY_BUCKETS_MS.length + 1;

export const USAGE_REPORT_LIMITS = {
  /** A report's JSON, bytes. The Worker refuses larger bodies before parsing. */
  maxBytes: 4096,
  /** Highest value of any counter in one report (one install, one minute). */
  maxCount: 10_000,
  /** How far a report's minute may lie from the receiver's clock, ms (clock drift, batching). */
  maxSkewMs: 10 * 60_000,
  /**
   * Highest value of any counter of one {@link UsageAggregateRow} (a shard's sums for one minute):
   * `ingest_usage_aggregates` refuses a batch holding a larger one (`c_max_count` in
   * supabase/migrations/20261130180000_usage_aggregates.sql), so the Worker clamps its sums to it.
   */
  maxAggregateCount: 10_000_000,
} as const;

/** What one install saw of one source during one minute. */
export interface SourceUsage {
  /** Requests sent to this source (each attempt, probes and checks included). */
  readonly requests: number;
  /** Answers used: a good registry, a 304 for the copy held, a plugin entry. */
  readonly successes: number;
  /** Of the successes, 304 Not Modified. */
  readonly notModified: number;
  /** Failed answers of every kind (the next four are parts of it). */
  readonly errors: number;
  /** Rate-limited: 429, or 403 with `x-ratelimit-remaining: 0`. */
  readonly rateLimited: number;
  readonly timeouts: number;
  /** 200 answers whose body the resolver refused (HTML page, invalid or expired registry…). */
  readonly refused: number;
  /** Requests this source answered after another one failed. */
  readonly fallbacks: number;
  /** Latency counts per {@link LATENCY_BUCKETS_MS} bucket, overflow last. */
  readonly latency: readonly number[];
  /** Lowest `x-ratelimit-remaining` seen, with its limit and reset (epoch ms), when the source sent one. */
  readonly quota?: { readonly remaining: number; readonly limit?: number; readonly resetAt?: number };
}

export interface UsageReport {
  readonly schemaVersion: 1;
  /** `@cartae/marketplace-resolver`'s version, e.g. `0.1.0`. */
  readonly sdkVersion: string;
  /** Config version in use at the end of the minute; null for the built-in default. */
  readonly configVersion: number | null;
  /** 16 hex digits: a hash of the install id salted with the UTC day. */
  readonly installDay: string;
  /** Start of the minute covered, epoch ms (a multiple of 60,000). */
  readonly minute: number;
  /** Registry reads answered from the last good copy because every source failed. */
  readonly staleServes: number;
  readonly sources: Partial<Record<SourceKind, SourceUsage>>;
}

// zod/mini carries no messages of its own: English, as zod's classic API gives them (see config-schema.ts).
z.config(en());

const count = z.int().check(z.gte(0), z.lte(USAGE_REPORT_LIMITS.maxCount));
const quotaFigure = z.int().check(z.gte(0), z.lte(1_000_000_000));

const sourceUsageSchema = z.object({
  requests: count,
  successes: count,
  notModified: count,
  errors: count,
  rateLimited: count,
  timeouts: count,
  refused: count,
  fallbacks: count,
  latency: z.array(count).check(z.length(LATENCY_BUCKET_COUNT)),
  quota: z.optional(
    z.object({
      remaining: quotaFigure,
      limit: z.optional(quotaFigure),
      resetAt: z.optional(z.int().check(z.gte(0))),
    }),
  ),
});

const usageReportSchema = z.object({
  schemaVersion: z.literal(1),
  sdkVersion: z.string().check(z.regex(/^[0-9A-Za-z.+-]{1,32}$/)),
  configVersion: z.nullable(z.int().check(z.gte(1))),
  installDay: z.string().check(z.regex(/^[0-9a-f]{16}$/)),
  minute: z.int().check(z.gte(0), z.multipleOf(60_000)),
  staleServes: count,
  // Unknown source kinds (newer resolvers) are dropped, not refused.
  sources: z.record(z.string(), z.unknown()),
});

/**
 * Checks a report as the Worker receives it: bounded size, known shape, counters within bounds,
 * consistent (successes and errors never exceed requests), its minute near `now`. Sources this
 * version does not know are dropped. Never throws.
 *
 * @example
 * const r = parseUsageReport(await request.text(), Date.now());
 * if (r.ok) aggregate(r.value);
 */
export function parseUsageReport(text: string, now: number): Result<UsageReport, MarketplaceError> {
  const refuse = (message: string) =>
    err(new MarketplaceError('usage_report_invalid', `usage report ${message}`));
  if (text.length > USAGE_REPORT_LIMITS.maxBytes) {
    return refuse(`is larger than ${USAGE_REPORT_LIMITS.maxBytes} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refuse('is not valid JSON');
  }
  const parsed = usageReportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(`is invalid at ${issue?.path.join('.') || '(document)'}: ${issue?.message ?? 'unknown'}`);
  }
  const report = parsed.data;
  if (Math.abs(report.minute - now) > USAGE_REPORT_LIMITS.maxSkewMs + 60_000) {
    return refuse('is for a minute too far from now');
  }
  const sources: Partial<Record<SourceKind, SourceUsage>> = {};
  for (const kind of SOURCE_KINDS) {
    const raw = report.sources[kind];
    if (raw === undefined) continue;
    const usage = sourceUsageSchema.safeParse(raw);
    if (!usage.success) return refuse(`is invalid at sources.${kind}: ${usage.error.issues[0]?.message}`);
    const u = usage.data;
    if (u.successes + u.errors > u.requests || u.notModified > u.successes) {
      return refuse(`counts for ${kind} do not add up`);
    }
    if (u.rateLimited + u.timeouts + u.refused > u.errors)
      return refuse(`error kinds for ${kind} exceed its errors`);
    if (u.latency.reduce((a, b) => a + b, 0) > u.requests)
      return refuse(`latency counts for ${kind} exceed its requests`);
    sources[kind] = u;
  }
  return ok({ ...report, sources });
}

/** The bucket a latency falls in, for {@link SourceUsage.latency}. */
export function latencyBucket(ms: number): number {
  for (let i = 0; i < LATENCY_BUCKETS_MS.length; i++) if (ms <= (LATENCY_BUCKETS_MS[i] as number)) return i;
  return LATENCY_BUCKETS_MS.length;
}

/**
 * The latency below which `p` (0–1) of the requests of a histogram fell, as the upper bound of
 * its bucket (ms), or `undefined` for an empty histogram or when it falls in the overflow bucket
 * (slower than the last bound).
 *
 * @example
 * latencyPercentile([6, 2, 1, 0, 0, 0, 0, 1], 0.5); // 50
 */
export function latencyPercentile(histogram: readonly number[], p: number): number | undefined {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] as number;
    if (seen >= rank) return LATENCY_BUCKETS_MS[i];
  }
  return undefined;
}

/**
 * One row the edge writes to the control plane per minute × source × config version × shard
 * (`ingest_usage_aggregates(p_rows jsonb, p_batch_id text)`, service role only): the sums of the
 * reports it accepted, how many distinct installs sent them and how many of those were
 * rate-limited. Counters are at most {@link USAGE_REPORT_LIMITS}`.maxAggregateCount`.
 */
export interface UsageAggregateRow {
  /** Start of the minute, ISO 8601. */
  readonly minute: string;
  readonly shard: number;
  readonly source: SourceKind;
  /** 0 for the built-in default config. */
  readonly configVersion: number;
  readonly installs: number;
  /**
   * Of `installs`, those that reported `rateLimited > 0` for this source this minute: one vote per
   * install, so a few reports claiming huge counts cannot pass for a fleet-wide rate limit.
   * Optional for rows written before it existed; the control plane reads absence as 0.
   */
  readonly rateLimitedInstalls?: number;
  readonly reports: number;
  readonly requests: number;
  readonly successes: number;
  readonly notModified: number;
  readonly errors: number;
  readonly rateLimited: number;
  readonly timeouts: number;
  readonly refused: number;
  readonly fallbacks: number;
  readonly staleServes: number;
  readonly latency: readonly number[];
  /** Lowest quota remaining any install saw this minute, with its limit; null when none reported. */
  readonly quotaRemaining: number | null;
  readonly quotaLimit: number | null;
}
