import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ingestUsageAggregates } from '../src/usage/ingest-usage-aggregates.ts';
import { MinuteBook } from '../src/usage/minute-book.ts';
import { aggregateRow, EMPTY_SUMS, MAX_ROW_COUNT } from '../src/usage/usage-sums.ts';
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
    expect(await ingestUsageAggregates(standIn(), rows, DEFAULT_PLATFORM)).toEqual({ ok: true, rows: 3 });
  });

  it('stay acceptable when abuse pushes a sum past the control plane bound (clamped)', async () => {
    const key = { minute: minuteOf(Date.now()) - 3 * MINUTE, source: 'git' as const, configVersion: 1 };
    const row = aggregateRow(key, 0, { ...EMPTY_SUMS, reports: 3, requests: 3 * MAX_ROW_COUNT });
    expect(row.requests).toBe(MAX_ROW_COUNT);
    expect(await ingestUsageAggregates(standIn(), [row], DEFAULT_PLATFORM)).toEqual({ ok: true, rows: 1 });
  });

  it('are refused whole (not retried) when invalid, and retried on a wrong key', async () => {
    const old = closedRows(minuteOf(Date.now()) - 3 * 60 * MINUTE); // older than the 2 hours it takes
    const refused = await ingestUsageAggregates(standIn(), old, DEFAULT_PLATFORM);
    expect(refused).toMatchObject({ ok: false, retry: false, error: expect.stringContaining('HTTP 400') });
    const wrongKey = await ingestUsageAggregates(
      standIn('not-the-key'),
      closedRows(minuteOf(Date.now())),
      DEFAULT_PLATFORM,
    );
    expect(wrongKey).toMatchObject({ ok: false, retry: true });
  });
});
