import { runInDurableObject } from 'cloudflare:test';
import {
  LATENCY_BUCKET_COUNT,
  type SourceKind,
  type UsageAggregateRow,
  type UsageReport,
} from '@cartae/marketplace-core';
import { installDay, SHARDS, shardStub, sourceUsage, usageReport } from './usage-harness.ts';

/**
 * The report install `i` sends for `minute` with config version `configVersion`: Git always
 * (quota, rate limits and latency varying with `i`), the CDN for every other install, a stale
 * serve for every third.
 */
export function fleetReport(i: number, minute: number, configVersion: number): UsageReport {
  return usageReport({
    installDay: installDay(10_000 + i),
    configVersion,
    minute,
    staleServes: i % 3 === 0 ? 1 : 0,
    sources: {
      git: sourceUsage({
        requests: 10 + (i % 7),
        rateLimited: i % 2,
        latency: [i % 4, 2, 1, 0, 0, 0, 0, i % 2],
        quota: { remaining: 500 - i, limit: 5000 },
      }),
      ...(i % 2 === 0
        ? {
            cloudflare: sourceUsage({
              requests: 4,
              successes: 4,
              errors: 0,
              rateLimited: 0,
              timeouts: 0,
              latency: [4, 0, 0, 0, 0, 0, 0, 0],
            }),
          }
        : {}),
    },
  });
}

/** What the rows of one source should add up to, computed from the reports sent. */
export function expectedTotals(reports: readonly UsageReport[], source: SourceKind) {
  const withSource = reports.filter((r) => r.sources[source] !== undefined);
  const usages = withSource.map((r) => r.sources[source] ?? sourceUsage());
  const sum = (pick: (u: (typeof usages)[number]) => number) => usages.reduce((a, u) => a + pick(u), 0);
  const quotas = usages.flatMap((u) => (u.quota === undefined ? [] : [u.quota.remaining]));
  return {
    installs: new Set(withSource.map((r) => r.installDay)).size,
    rateLimitedInstalls: new Set(
      withSource.filter((r) => (r.sources[source]?.rateLimited ?? 0) > 0).map((r) => r.installDay),
    ).size,
    reports: withSource.length,
    requests: sum((u) => u.requests),
    successes: sum((u) => u.successes),
    errors: sum((u) => u.errors),
    rateLimited: sum((u) => u.rateLimited),
    fallbacks: sum((u) => u.fallbacks),
    latency: Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => sum((u) => u.latency[i] ?? 0)),
    quotaRemaining: quotas.length === 0 ? null : Math.min(...quotas),
  };
}

/** Rows of all shards for one source, added up as the control plane would. */
export function totalsOf(rows: readonly UsageAggregateRow[], source: SourceKind) {
  const mine = rows.filter((row) => row.source === source);
  const sum = (pick: (row: UsageAggregateRow) => number) => mine.reduce((a, row) => a + pick(row), 0);
  const quotas = mine.flatMap((row) => (row.quotaRemaining === null ? [] : [row.quotaRemaining]));
  return {
    installs: sum((r) => r.installs),
    rateLimitedInstalls: sum((r) => r.rateLimitedInstalls ?? 0),
    reports: sum((r) => r.reports),
    requests: sum((r) => r.requests),
    successes: sum((r) => r.successes),
    errors: sum((r) => r.errors),
    rateLimited: sum((r) => r.rateLimited),
    fallbacks: sum((r) => r.fallbacks),
    latency: Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => sum((r) => r.latency[i] ?? 0)),
    quotaRemaining: quotas.length === 0 ? null : Math.min(...quotas),
  };
}

/** Every row of every table of every shard. */
export async function storedTables(): Promise<unknown[]> {
  const stored: unknown[] = [];
  for (const shard of SHARDS) {
    stored.push(
      await runInDurableObject(shardStub(shard), (_instance, state) =>
        state.storage.sql
          .exec<{ name: string }>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf%'",
          )
          .toArray()
          .map(({ name }) => ({ name, rows: state.storage.sql.exec(`SELECT * FROM "${name}"`).toArray() })),
      ),
    );
  }
  return stored;
}

/** Orders rows by shard, source and config version. */
export function byKey(a: UsageAggregateRow, b: UsageAggregateRow): number {
  return `${a.shard}|${a.source}|${a.configVersion}`.localeCompare(
    `${b.shard}|${b.source}|${b.configVersion}`,
  );
}
