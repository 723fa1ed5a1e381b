import { fnv1a32, type UsageReport } from '@cartae/marketplace-core';
import { describe, expect, it } from 'vitest';
import { INITIAL_AGGREGATOR_STATE, readAggregatorState } from '../src/usage/aggregator-state.ts';
import { afterFlush, flushAllowedAt, IDLE_FLUSH, retryDelayMs } from '../src/usage/flush-state.ts';
import { MAX_ROWS_PER_MINUTE, MinuteBook } from '../src/usage/minute-book.ts';
import { batchIdRandom, usageBatchId } from '../src/usage/usage-batch.ts';
import { lastClosedMinute, minuteClosesAt, nextAlarmAt } from '../src/usage/usage-schedule.ts';
import { usageShardName, usageShardOf } from '../src/usage/usage-shard.ts';
import {
  addContribution,
  aggregateRow,
  EMPTY_SUMS,
  readSums,
  reportContributions,
} from '../src/usage/usage-sums.ts';
import { readWorkerSettings } from '../src/worker-settings.ts';
import { installDay, sourceUsage, usageReport } from './support/usage-harness.ts';

/** The shards' decisions as pure functions (the Worker side: usage-intake-functions.test.ts). */
const M = Date.UTC(2026, 5, 1, 12, 0); // a minute
const report = (overrides: Partial<UsageReport> = {}) => usageReport({ minute: M, ...overrides });

describe('shards', () => {
  it('are FNV-1a-32 of installDay modulo the shard count, named usage-shard-{n}', () => {
    expect(usageShardOf('0123456789abcdef', 8)).toBe(fnv1a32('0123456789abcdef') % 8);
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 8000; i++) counts[usageShardOf(installDay(i * 7919), 8)]++;
    for (const n of counts) expect(n).toBeGreaterThan(800); // about 1,000 each
    expect(usageShardName(3)).toBe('usage-shard-3');
  });

  it.each([
    [undefined, 8, 0],
    ['16', 16, 0],
    ['0', 8, 1],
    ['257', 8, 1],
    ['eight', 8, 1],
  ])('USAGE_SHARDS=%j → %i shards (%i problems)', (raw, shards, problems) => {
    const settings = readWorkerSettings({
      REGISTRY_GIT_URL: 'https://example.com/r.json',
      USAGE_SHARDS: raw,
    });
    expect(settings.usageShards).toBe(shards);
    expect(settings.problems).toHaveLength(problems);
  });
});

describe('summing reports', () => {
  it('splits a report by source; its stale serves go with the first source only', () => {
    const both = report({ staleServes: 2, sources: { git: sourceUsage(), cloudflare: sourceUsage() } });
    expect(reportContributions(both).map((c) => [c.key.source, c.staleServes])).toEqual([
      ['cloudflare', 2],
      ['git', 0],
    ]);
    expect(reportContributions(report({ configVersion: null }))[0]?.key).toEqual({
      minute: M,
      source: 'git',
      configVersion: 0,
    });
    expect(reportContributions(report({ sources: {} }))).toEqual([]);
  });

  it('adds counters and histograms, keeps the lowest quota with its limit', () => {
    const [a] = reportContributions(
      report({ sources: { git: sourceUsage({ quota: { remaining: 40, limit: 60 } }) } }),
    );
    const [b] = reportContributions(report({ sources: { git: sourceUsage({ quota: { remaining: 10 } }) } }));
    const [c] = reportContributions(
      report({ sources: { git: sourceUsage({ quota: { remaining: 30, limit: 5000 } }) } }),
    );
    if (!a || !b || !c) throw new Error('no contribution');
    const first = { install: true, rateLimited: true };
    const again = { install: false, rateLimited: false };
    const sums = addContribution(addContribution(addContribution(EMPTY_SUMS, a, first), b, first), c, again);
    expect(sums).toMatchObject({
      installs: 2,
      rateLimitedInstalls: 2,
      reports: 3,
      requests: 30,
      errors: 6,
      quotaRemaining: 10,
      quotaLimit: null,
    });
    expect(sums.latency).toEqual([15, 6, 3, 0, 0, 0, 0, 0]);
    expect(aggregateRow(a.key, 5, sums)).toMatchObject({
      minute: '2026-06-01T12:00:00.000Z',
      shard: 5,
      source: 'git',
    });
  });

  it('counts an install once per row however often it reports, and bounds the rows of a minute', () => {
    const book = new MinuteBook();
    expect(book.add(report({ installDay: installDay(1) }), M)).toBe('accepted');
    expect(book.add(report({ installDay: installDay(1) }), M)).toBe('accepted');
    expect(book.add(report({ installDay: installDay(2) }), M)).toBe('accepted');
    const [closed] = book.closeThrough(M);
    expect(closed?.rows.map((r) => [r.sums.reports, r.sums.installs])).toEqual([[3, 2]]);

    const full = new MinuteBook();
    for (let v = 1; v <= MAX_ROWS_PER_MINUTE; v++)
      expect(full.add(report({ configVersion: v }), M)).toBe('accepted');
    expect(full.add(report({ configVersion: 999 }), M)).toBe('too_many_rows');
    expect(full.add(report({ configVersion: 1 }), M)).toBe('accepted');
  });

  it('counts an install as rate-limited once per row, whichever of its reports saw the limit', () => {
    const book = new MinuteBook();
    const limited = (n: number, rateLimited: number) =>
      report({ installDay: installDay(n), sources: { git: sourceUsage({ rateLimited }) } });
    book.add(limited(1, 0), M);
    book.add(limited(1, 1), M); // the same install, later in the minute: now rate-limited
    book.add(limited(1, 1), M); // and again: still one vote
    book.add(limited(2, 0), M);
    book.add(limited(3, 1), M);
    const [closed] = book.closeThrough(M);
    expect(
      closed?.rows.map((r) => [r.sums.installs, r.sums.rateLimitedInstalls, r.sums.rateLimited]),
    ).toEqual([[3, 2, 3]]);
    expect(
      aggregateRow(
        closed?.rows[0]?.key ?? { minute: M, source: 'git', configVersion: 7 },
        0,
        closed?.rows[0]?.sums ?? EMPTY_SUMS,
      ),
    ).toMatchObject({
      installs: 3,
      rateLimitedInstalls: 2,
    });
  });

  it('reads sums saved before rateLimitedInstalls existed as 0', () => {
    const { rateLimitedInstalls: _, ...older } = { ...EMPTY_SUMS, installs: 4 };
    expect(readSums(JSON.parse(JSON.stringify(older)))).toEqual({ ...EMPTY_SUMS, installs: 4 });
  });

  it('names a batch by shard, first minute and a random part the control plane accepts', () => {
    const id = usageBatchId(3, M, batchIdRandom());
    expect(id).toMatch(/^3:2026-06-01T12:00:00\.000Z:[0-9a-f]{16}$/);
    expect(id).toMatch(/^[A-Za-z0-9:._-]{1,128}$/); // ingest_usage_aggregates' check
    expect(usageBatchId(3, M, batchIdRandom())).not.toBe(id);
  });

  it('gives back what was not saved, and restores from what was', () => {
    const book = new MinuteBook();
    book.add(report({ installDay: installDay(1) }), M + 61_000);
    book.add(report({ installDay: installDay(2), minute: M + 60_000 }), M + 62_000);
    expect(book.unsavedSince).toBe(M + 61_000);
    const changes = book.takeUnsaved();
    expect(book.unsavedSince).toBeUndefined();
    expect(changes.rows).toHaveLength(2);
    // Each install, and the same with `:rl` as it reported a rate limit (one vote each).
    expect(changes.installs.map((i) => i.keys)).toEqual([
      ['git:7:0000000000000001', 'git:7:0000000000000001:rl'],
      ['git:7:0000000000000002', 'git:7:0000000000000002:rl'],
    ]);
    const restored = MinuteBook.restore([
      {
        minute: M,
        rows: changes.rows.filter((r) => r.key.minute === M),
        installs: ['git:7:0000000000000001', 'git:7:0000000000000001:rl'],
      },
    ]);
    restored.add(report({ installDay: installDay(1) }), M + 70_000);
    expect(restored.closeThrough(M)[0]?.rows[0]?.sums).toMatchObject({
      reports: 2,
      installs: 1,
      rateLimitedInstalls: 1,
    });
    expect(restored.earliestMinute()).toBeUndefined();
  });
});

describe('when minutes close and alarms run', () => {
  it('closes a minute 30 s after it ends', () => {
    expect(minuteClosesAt(M)).toBe(M + 90_000);
    expect(lastClosedMinute(M + 89_999)).toBe(M - 60_000);
    expect(lastClosedMinute(M + 90_000)).toBe(M);
  });

  const idle = {
    earliestOpenMinute: undefined,
    unsavedSince: undefined,
    hasPending: false,
    flush: IDLE_FLUSH,
  };
  it.each([
    ['nothing to do', idle, M, undefined],
    ['an open minute', { ...idle, earliestOpenMinute: M }, M + 61_000, M + 90_000],
    ['unsaved reports', { ...idle, earliestOpenMinute: M, unsavedSince: M + 61_000 }, M + 61_000, M + 71_000],
    ['rows waiting, first attempt', { ...idle, hasPending: true }, M, M],
    [
      'rows waiting after 3 failures',
      {
        ...idle,
        hasPending: true,
        flush: { kind: 'failing', at: M, failures: 3, error: 'x', lastDelivered: null },
      },
      M + 1000,
      M + 240_000,
    ],
  ] as const)('%s', (_, inputs, now, expected) => {
    expect(nextAlarmAt(inputs, now)).toBe(expected);
  });

  it('backs off 1, 2, 4, 8, 8 minutes while failing and remembers the last delivery', () => {
    expect([1, 2, 3, 4, 5, 9].map(retryDelayMs)).toEqual([
      60_000, 120_000, 240_000, 480_000, 480_000, 480_000,
    ]);
    const delivered = afterFlush(IDLE_FLUSH, { ok: true, rows: 4 }, M);
    expect(flushAllowedAt(delivered)).toBe(M + 60_000);
    const failing = afterFlush(
      afterFlush(delivered, { ok: false, error: 'HTTP 503', retry: true }, M + 60_000),
      { ok: false, error: 'HTTP 500', retry: true },
      M + 120_000,
    );
    expect(failing).toEqual({
      kind: 'failing',
      at: M + 120_000,
      failures: 2,
      error: 'HTTP 500',
      lastDelivered: { at: M, rows: 4 },
    });
    expect(flushAllowedAt(failing)).toBe(M + 240_000);
    expect(readAggregatorState({ flush: failing, counters: { late: 3 } })).toMatchObject({
      flush: failing,
      counters: { late: 3, accepted: 0 },
    });
    expect(readAggregatorState('garbage')).toEqual(INITIAL_AGGREGATOR_STATE);
  });
});
