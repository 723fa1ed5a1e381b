import {
  LATENCY_BUCKET_COUNT,
  SOURCE_KINDS,
  type SourceKind,
  type SourceUsage,
  USAGE_REPORT_LIMITS,
  type UsageAggregateRow,
  type UsageReport,
} from '@cartae/marketplace-core';

/**
 * A row's figures without its key: what reports add up to for one minute × source × config
 * version. `rateLimitedInstalls` is always counted here (sums saved before it existed are read
 * back through `readSums`).
 */
export type UsageSums = Omit<
  UsageAggregateRow,
  'minute' | 'shard' | 'source' | 'configVersion' | 'rateLimitedInstalls'
> & { readonly rateLimitedInstalls: number };

/** Which of a row's install counts a contribution is the first for, this minute. */
export interface NewInstall {
  /** The row has not counted this install yet. */
  readonly install: boolean;
  /** The row has not counted this install as rate-limited yet, and this contribution is. */
  readonly rateLimited: boolean;
}

/** The key of a row within a shard: minute (epoch ms), source and config version (0 = built-in default). */
export interface UsageRowKey {
  readonly minute: number;
  readonly source: SourceKind;
  readonly configVersion: number;
}

/** One source of one report, as it goes into its row. */
export interface UsageContribution {
  readonly key: UsageRowKey;
  readonly usage: SourceUsage;
  /** The report's stale serves, carried by exactly one of its contributions (see `reportContributions`). */
  readonly staleServes: number;
}

export const EMPTY_SUMS: UsageSums = {
  installs: 0,
  rateLimitedInstalls: 0,
  reports: 0,
  requests: 0,
  successes: 0,
  notModified: 0,
  errors: 0,
  rateLimited: 0,
  timeouts: 0,
  refused: 0,
  fallbacks: 0,
  staleServes: 0,
  latency: new Array<number>(LATENCY_BUCKET_COUNT).fill(0),
  quotaRemaining: null,
  quotaLimit: null,
};

/** Sums as storage holds them; fields added since they were saved start at zero. */
export function readSums(saved: unknown): UsageSums {
  return { ...EMPTY_SUMS, ...(saved as Partial<UsageSums>) };
}

/** A stable string for a row key, for maps and storage. */
export function rowId(key: UsageRowKey): string {
  return `${key.minute}|${key.source}|${key.configVersion}`;
}

/**
 * Splits a report into one contribution per source it used. A stale serve means every source
 * failed, so it belongs to no source in particular: it is carried by the first source of the
 * report (in `SOURCE_KINDS` order), so that summing `staleServes` over a minute's rows counts each
 * stale serve once. A report with no source makes no contribution.
 *
 * @example
 * reportContributions(report).map((c) => c.key.source); // ['cloudflare', 'git']
 */
export function reportContributions(report: UsageReport): UsageContribution[] {
  const contributions: UsageContribution[] = [];
  for (const source of SOURCE_KINDS) {
    const usage = report.sources[source];
    if (usage === undefined) continue;
    contributions.push({
      key: { minute: report.minute, source, configVersion: report.configVersion ?? 0 },
      usage,
      staleServes: contributions.length === 0 ? report.staleServes : 0,
    });
  }
  return contributions;
}

/**
 * Adds one contribution to a row's sums. Pure. `newInstall` says which of the row's install
 * counts have not counted this install yet this minute. The lowest quota wins, with the limit
 * reported beside it.
 *
 * @example
 * addContribution(EMPTY_SUMS, contribution, { install: true, rateLimited: false }).reports; // 1
 */
export function addContribution(
  sums: UsageSums,
  contribution: UsageContribution,
  newInstall: NewInstall,
): UsageSums {
  const { usage } = contribution;
  const quota = usage.quota;
  const lower =
    quota !== undefined && (sums.quotaRemaining === null || quota.remaining < sums.quotaRemaining);
  return {
    installs: sums.installs + (newInstall.install ? 1 : 0),
    rateLimitedInstalls: sums.rateLimitedInstalls + (newInstall.rateLimited ? 1 : 0),
    reports: sums.reports + 1,
    requests: sums.requests + usage.requests,
    successes: sums.successes + usage.successes,
    notModified: sums.notModified + usage.notModified,
    errors: sums.errors + usage.errors,
    rateLimited: sums.rateLimited + usage.rateLimited,
    timeouts: sums.timeouts + usage.timeouts,
    refused: sums.refused + usage.refused,
    fallbacks: sums.fallbacks + usage.fallbacks,
    staleServes: sums.staleServes + contribution.staleServes,
    latency: sums.latency.map((count, bucket) => count + (usage.latency[bucket] ?? 0)),
    quotaRemaining: lower ? quota.remaining : sums.quotaRemaining,
    quotaLimit: lower ? (quota.limit ?? null) : sums.quotaLimit,
  };
}

/**
 * Sums are clamped to the highest counter the control plane accepts
 * (`USAGE_REPORT_LIMITS.maxAggregateCount`, the literal `c_max_count` of
 * `validate_usage_rows` in supabase/migrations/20261130180000_usage_aggregates.sql, which refuses
 * the whole batch otherwise). A shard-minute only gets near it under abuse: clamping keeps one
 * such row from getting the other rows of its batch refused.
 */
const clamp = (value: number) => Math.min(value, USAGE_REPORT_LIMITS.maxAggregateCount);

/**
 * The row the control plane receives (`ingest_usage_aggregates`): exactly the fields of
 * `UsageAggregateRow`, camelCase, counters clamped to `USAGE_REPORT_LIMITS.maxAggregateCount`. Pure.
 *
 * @example
 * aggregateRow({ minute, source: 'git', configVersion: 7 }, 3, sums).minute; // '2026-11-30T15:20:00.000Z'
 */
export function aggregateRow(key: UsageRowKey, shard: number, sums: UsageSums): UsageAggregateRow {
  return {
    minute: new Date(key.minute).toISOString(),
    shard,
    source: key.source,
    configVersion: key.configVersion,
    installs: clamp(sums.installs),
    rateLimitedInstalls: clamp(sums.rateLimitedInstalls),
    reports: clamp(sums.reports),
    requests: clamp(sums.requests),
    successes: clamp(sums.successes),
    notModified: clamp(sums.notModified),
    errors: clamp(sums.errors),
    rateLimited: clamp(sums.rateLimited),
    timeouts: clamp(sums.timeouts),
    refused: clamp(sums.refused),
    fallbacks: clamp(sums.fallbacks),
    staleServes: clamp(sums.staleServes),
    latency: sums.latency.map(clamp),
    quotaRemaining: sums.quotaRemaining,
    quotaLimit: sums.quotaLimit,
  };
}
