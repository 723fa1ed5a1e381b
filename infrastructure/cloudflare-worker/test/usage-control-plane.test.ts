import { env } from 'cloudflare:test';
import { USAGE_REPORT_LIMITS, type UsageAggregateRow } from '@cartae/marketplace-core';
import { describe, expect, it } from 'vitest';
import { ingestUsageAggregates } from '../src/usage/ingest-usage-aggregates.ts';
import { MinuteBook } from '../src/usage/minute-book.ts';
import { batchIdRandom, usageBatchId } from '../src/usage/usage-batch.ts';
import { aggregateRow, EMPTY_SUMS } from '../src/usage/usage-sums.ts';
import { usageTelemetry } from '../src/usage/usage-telemetry.ts';
import { DEFAULT_PLATFORM } from '../src/worker-platform.ts';
import { readWorkerSettings } from '../src/worker-settings.ts';
import { installDay, MINUTE, minuteOf, sourceUsage, usageReport } from './support/usage-harness.ts';

/**
 * The payload the shards send, against the project's real `ingest_usage_aggregates` (the
 * migrations behind the local Supabase stand-in, as `npm start` runs them).
 */
function standIn(serviceRoleKey = env.TEST_SUPABASE_STAND_IN_SERVICE_ROLE_KEY) {
  const settings = readWorkerSettings({ ALLOW_LOOPBACK_HTTP: 'true' });
  const telemetry = usageTelemetry(
    {
      USAGE_AGGREGATOR: env.USAGE_AGGREGATOR,
      SUPABASE_URL: env.TEST_SUPABASE_STAND_IN_URL,
      SUPABASE_SERVICE_ROLE_KEY: serviceRoleKey,
    },
    settings,
  );
  if (!telemetry.enabled) throw new Error(telemetry.reason);
  return telemetry.target;
}

/** A batch of `rows` with a fresh id, as a shard sends it. */
const batchOf = (rows: readonly UsageAggregateRow[]) => ({
  id: usageBatchId(3, Date.parse(rows[0]?.minute ?? '2026-01-01T00:00:00Z'), batchIdRandom()),
  rows,
});

function closedRows(minute: number) {
  const book = new MinuteBook();
  book.add(
    usageReport({
      minute,
      installDay: installDay(1),
      configVersion: null,
      staleServes: 2,
      sources: {
        git: sourceUsage({ quota: { remaining: 12, limit: 60, resetAt: minute + 3_600_000 } }),
        cloudflare: sourceUsage(),
      },
    }),
    minute,
  );
  book.add(usageReport({ minute, installDay: installDay(2) }), minute);
  return (book.closeThrough(minute)[0]?.rows ?? []).map((row) => aggregateRow(row.key, 3, row.sums));
}

describe('the rows a shard sends, as the control plane takes them', () => {
  it('are accepted by the real ingest_usage_aggregates', async () => {
    const rows = closedRows(minuteOf(Date.now()) - 2 * MINUTE);
    expect(rows.map((r) => [r.source, r.configVersion])).toEqual([
      ['cloudflare', 0],
      ['git', 0],
      ['git', 7],
    ]);
    expect(rows.map((r) => r.rateLimitedInstalls)).toEqual([1, 1, 1]);
    expect(await ingestUsageAggregates(standIn(), batchOf(rows), DEFAULT_PLATFORM)).toEqual({
      ok: true,
      rows: 3,
    });
  });

  it('are taken again with the same batch id (a resend after a lost answer), which adds nothing', async () => {
    const batch = batchOf(closedRows(minuteOf(Date.now()) - 4 * MINUTE));
    expect(await ingestUsageAggregates(standIn(), batch, DEFAULT_PLATFORM)).toMatchObject({ ok: true });
    // The stand-in answers 200 again: the shard forgets the batch, which the database added once
    // (counted once: supabase/tests/usage-batch-ids.test.ts).
    expect(await ingestUsageAggregates(standIn(), batch, DEFAULT_PLATFORM)).toMatchObject({ ok: true });
    // The same id with other rows is a sender bug, refused (400), not retried.
    const other = { ...batch, rows: batch.rows.slice(1) };
    expect(await ingestUsageAggregates(standIn(), other, DEFAULT_PLATFORM)).toMatchObject({
      ok: false,
      retry: false,
      error: expect.stringContaining('already applied with other rows'),
    });
  });

  it('stay acceptable when abuse pushes a sum past the control plane bound (clamped)', async () => {
    const key = { minute: minuteOf(Date.now()) - 3 * MINUTE, source: 'git' as const, configVersion: 1 };
    const max = USAGE_REPORT_LIMITS.maxAggregateCount;
    const row = aggregateRow(key, 0, { ...EMPTY_SUMS, reports: 3, requests: 3 * max });
    expect(row.requests).toBe(max);
    expect(await ingestUsageAggregates(standIn(), batchOf([row]), DEFAULT_PLATFORM)).toEqual({
      ok: true,
      rows: 1,
    });
  });

  it('are refused whole (not retried) when invalid, and retried on a wrong key', async () => {
    const old = closedRows(minuteOf(Date.now()) - 3 * 60 * MINUTE); // older than the 2 hours it takes
    const refused = await ingestUsageAggregates(standIn(), batchOf(old), DEFAULT_PLATFORM);
    expect(refused).toMatchObject({ ok: false, retry: false, error: expect.stringContaining('HTTP 400') });
    const wrongKey = await ingestUsageAggregates(
      standIn('not-the-key'),
      batchOf(closedRows(minuteOf(Date.now()))),
      DEFAULT_PLATFORM,
    );
    expect(wrongKey).toMatchObject({ ok: false, retry: true });
  });
});
