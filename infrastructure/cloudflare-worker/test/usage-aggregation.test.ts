import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import type { UsageReport } from '@cartae/marketplace-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { usageShardOf } from '../src/usage/usage-shard.ts';
import type { RecordedIngestCall } from './support/scenarios.ts';
import {
  batchIdOf,
  ingestAnswers,
  ingestCalls,
  installDay,
  MINUTE,
  minuteOf,
  postReport,
  resetShards,
  rowsOf,
  runAlarms,
  shardStub,
  usageReport,
} from './support/usage-harness.ts';
import { byKey, expectedTotals, fleetReport, storedTables, totalsOf } from './support/usage-totals.ts';
import { request, resetWorkerState } from './support/worker-harness.ts';

/**
 * The shards run on a fake clock (only `Date` is faked; the Worker, its Durable Objects and the
 * tests share one isolate, so they all see it), a day ahead of real time so no alarm the shards
 * set ever fires by itself: each test runs them with `runDurableObjectAlarm`.
 */
let base: number;
/** This test's config version: rows and calls of other tests are told apart by it. */
let marker: number;
let callsBefore: number;

beforeEach(async () => {
  await resetWorkerState();
  await resetShards();
  await ingestAnswers('ok');
  callsBefore = (await ingestCalls()).length;
  marker = 100_000 + Math.floor(Math.random() * 800_000);
  base = minuteOf(Date.now() + 86_400_000);
  vi.useFakeTimers({ toFake: ['Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

const at = (offsetMs: number) => vi.setSystemTime(base + offsetMs);

/** Calls received since the test started that carry its rows. */
async function newCalls(): Promise<RecordedIngestCall[]> {
  return (await ingestCalls())
    .slice(callsBefore)
    .filter((call) =>
      rowsOf(call).some((row) => row.configVersion >= marker && row.configVersion < marker + 10),
    );
}

const statusOf = (shard: number) => runInDurableObject(shardStub(shard), (instance) => instance.status());

/** The report install `i` sends for `minute`, in this test's config version. */
const fleetFor = (i: number, minute: number) => fleetReport(i, minute, marker);

describe('usage aggregation at the edge (UsageAggregator shards)', () => {
  it('sums 100 installs across shards into rows, one call per shard per minute', async () => {
    at(65_000);
    const sent: UsageReport[] = [];
    for (let i = 0; i < 100; i++) {
      const report = fleetFor(i, base);
      sent.push(report);
      expect((await postReport(report, { address: `198.51.100.${i}` })).status).toBe(200);
    }
    // Ten installs send their minute twice (a retried poll): summed, but counted once as installs.
    for (let i = 0; i < 10; i++) {
      const report = fleetFor(i, base);
      sent.push(report);
      await postReport(report, { address: `198.51.100.${i}` });
    }
    expect(await newCalls()).toEqual([]);

    at(91_000); // the minute closed 30 s ago
    const ran = await runAlarms();
    const calls = await newCalls();
    const shardsUsed = new Set(sent.map((r) => usageShardOf(r.installDay, 8)));
    expect(new Set(ran)).toEqual(shardsUsed);
    expect(shardsUsed.size).toBeGreaterThan(4);
    // One call per shard, each with that shard's rows only, all accepted.
    expect(calls.map((c) => rowsOf(c)[0]?.shard).sort()).toEqual([...shardsUsed].sort());
    for (const call of calls) {
      expect(call.status).toBe(200);
      expect(new Set(rowsOf(call).map((row) => row.shard)).size).toBe(1);
      expect(call.headers.apikey).toBe('test-service-role-key');
      expect(call.headers.authorization).toBe('Bearer test-service-role-key');
      expect(call.headers['content-type']).toBe('application/json');
    }
    // Each call a batch of its own: shard, minute and a random part.
    expect(new Set(calls.map(batchIdOf)).size).toBe(calls.length);
    for (const call of calls) {
      expect(batchIdOf(call)).toMatch(
        new RegExp(`^${rowsOf(call)[0]?.shard}:${new Date(base).toISOString()}:[0-9a-f]{16}$`),
      );
    }
    const rows = calls.flatMap(rowsOf);
    expect(
      rows.every((row) => row.minute === new Date(base).toISOString() && row.configVersion === marker),
    ).toBe(true);
    for (const source of ['git', 'cloudflare'] as const) {
      expect(totalsOf(rows, source)).toEqual(expectedTotals(sent, source));
    }
    expect(totalsOf(rows, 'git').installs).toBe(100);
    expect(totalsOf(rows, 'cloudflare').installs).toBe(50);
    // Each stale serve counted once, whatever sources the report had.
    expect(rows.reduce((a, row) => a + row.staleServes, 0)).toBe(sent.reduce((a, r) => a + r.staleServes, 0));
    // The lowest quota comes with its limit.
    const lowest = rows.find((row) => row.quotaRemaining === 401);
    expect(lowest).toMatchObject({ source: 'git', quotaRemaining: 401, quotaLimit: 5000 });

    // Nothing more to send this minute: alarms that run again send nothing.
    await runAlarms();
    expect(await newCalls()).toHaveLength(calls.length);

    // The next minute: again one call per shard that has rows, with that minute only.
    at(125_000);
    for (let i = 0; i < 20; i++) await postReport(fleetFor(i, base + MINUTE), { address: `203.0.113.${i}` });
    at(151_000);
    await runAlarms();
    const next = (await newCalls()).slice(calls.length);
    const nextShards = next.map((c) => rowsOf(c)[0]?.shard);
    expect(new Set(nextShards).size).toBe(next.length);
    expect(next.flatMap(rowsOf).every((row) => row.minute === new Date(base + MINUTE).toISOString())).toBe(
      true,
    );
    expect(totalsOf(next.flatMap(rowsOf), 'git').installs).toBe(20);
  });

  it('keeps the rows while the control plane fails, through an eviction, and delivers them later', async () => {
    await ingestAnswers('fail');
    at(70_000);
    const reports = [0, 1, 2, 3, 4].map((i) => fleetFor(i, base));
    for (const [i, report] of reports.entries()) await postReport(report, { address: `192.0.2.${i}` });
    const shards = [...new Set(reports.map((r) => usageShardOf(r.installDay, 8)))];

    at(91_000);
    await runAlarms();
    const failed = await newCalls();
    expect(failed.map((c) => c.status)).toEqual(shards.map(() => 503));
    for (const shard of shards) {
      expect(await statusOf(shard)).toMatchObject({
        flush: { kind: 'failing', failures: 1, error: expect.stringContaining('HTTP 503') },
        pendingRows: expect.any(Number),
      });
      expect((await statusOf(shard)).pendingRows).toBeGreaterThan(0);
      await evictDurableObject(shardStub(shard));
    }

    // /health says so.
    const failing = (await (await request('/health')).json()) as {
      usage: { state: string; failures: number };
    };
    expect(failing.usage).toMatchObject({ state: 'failing', failures: shards.length });

    // Retries wait (a minute after one failure): an alarm before that sends nothing.
    await ingestAnswers('ok');
    at(121_000);
    await runAlarms();
    expect(await newCalls()).toHaveLength(failed.length);

    at(152_000);
    await runAlarms();
    const delivered = (await newCalls()).slice(failed.length);
    expect(delivered.map((c) => c.status)).toEqual(shards.map(() => 200));
    expect(delivered.flatMap(rowsOf).sort(byKey)).toEqual(failed.flatMap(rowsOf).sort(byKey));
    expect(totalsOf(delivered.flatMap(rowsOf), 'git')).toEqual(expectedTotals(reports, 'git'));
    for (const shard of shards) {
      expect(await statusOf(shard)).toMatchObject({ flush: { kind: 'delivered' }, pendingRows: 0 });
    }
    const health = (await (await request('/health')).json()) as {
      usage: { state: string; lastFlush: { at: string; rows: number } };
    };
    expect(health.usage.state).toBe('ok');
    expect(health.usage.lastFlush.at).toBe(new Date(base + 152_000).toISOString());
    expect(health.usage.lastFlush.rows).toBeGreaterThan(0);
  });

  it('resends a batch whose answer was lost with the same id and rows; rows closed meanwhile go in the next batch', async () => {
    // The control plane commits, then the answer is lost (500).
    await ingestAnswers('lost');
    at(70_000);
    const report = fleetFor(6, base);
    await postReport(report, { address: '192.0.2.80' });
    const shard = usageShardOf(report.installDay, 8);
    at(91_000);
    await runAlarms();
    const [lost] = await newCalls();
    expect(lost?.status).toBe(500);
    expect(await statusOf(shard)).toMatchObject({ flush: { kind: 'failing', failures: 1 }, pendingRows: 2 });

    // The next minute's report of the same install (same shard) closes before the retry.
    await evictDurableObject(shardStub(shard)); // the batch in flight is in storage, not only in memory
    at(125_000);
    await postReport(fleetFor(6, base + MINUTE), { address: '192.0.2.80' });
    await ingestAnswers('ok');
    at(152_000);
    await runAlarms();
    const [, resent] = await newCalls();
    expect(resent?.status).toBe(200);
    expect(batchIdOf(resent!)).toBe(batchIdOf(lost!));
    expect(rowsOf(resent!)).toEqual(rowsOf(lost!));
    expect(rowsOf(resent!).every((row) => row.minute === new Date(base).toISOString())).toBe(true);
    expect((await statusOf(shard)).pendingRows).toBe(2); // the later minute, waiting for its own batch

    at(213_000);
    await runAlarms();
    const [, , next] = await newCalls();
    expect(next?.status).toBe(200);
    expect(batchIdOf(next!)).not.toBe(batchIdOf(lost!));
    expect(rowsOf(next!).every((row) => row.minute === new Date(base + MINUTE).toISOString())).toBe(true);
    expect(totalsOf(rowsOf(next!), 'git')).toEqual(expectedTotals([fleetFor(6, base + MINUTE)], 'git'));
    expect(await statusOf(shard)).toMatchObject({ flush: { kind: 'delivered' }, pendingRows: 0 });
  });

  it('resends with the same id and rows after a call that never answered (timeout)', async () => {
    await ingestAnswers('hang');
    at(70_000);
    const report = fleetFor(8, base);
    await postReport(report, { address: '192.0.2.81' });
    const shard = usageShardOf(report.installDay, 8);
    at(91_000);
    await runAlarms(); // waits out INGEST_TIMEOUT_MS (10 s, real time)
    const [hung] = await newCalls();
    expect(await statusOf(shard)).toMatchObject({
      flush: { kind: 'failing', failures: 1, error: expect.stringContaining('no answer within') },
      pendingRows: 2,
    });

    await ingestAnswers('ok');
    at(152_000);
    await runAlarms();
    const [, resent] = await newCalls();
    expect(resent?.status).toBe(200);
    expect(batchIdOf(resent!)).toBe(batchIdOf(hung!));
    expect(rowsOf(resent!)).toEqual(rowsOf(hung!));
    expect(await statusOf(shard)).toMatchObject({ flush: { kind: 'delivered' }, pendingRows: 0 });
  }, 30_000);

  it('drops minutes the control plane has not taken within an hour, and counts them', async () => {
    await ingestAnswers('fail');
    at(70_000);
    const report = fleetFor(2, base);
    await postReport(report, { address: '192.0.2.50' });
    const shard = usageShardOf(report.installDay, 8);
    at(91_000);
    await runAlarms();
    expect((await statusOf(shard)).pendingRows).toBe(2);

    await ingestAnswers('ok');
    at(62 * MINUTE);
    await runAlarms();
    const status = await statusOf(shard);
    expect(status).toMatchObject({ pendingRows: 0, counters: { droppedRows: 2 } });
    expect((await newCalls()).filter((c) => c.status === 200)).toEqual([]);
  });

  it('drops a batch the control plane refuses (400), without sending it again', async () => {
    await ingestAnswers('reject');
    at(70_000);
    const report = fleetFor(2, base);
    await postReport(report, { address: '192.0.2.55' });
    const shard = usageShardOf(report.installDay, 8);
    at(91_000);
    await runAlarms();
    expect((await newCalls()).map((c) => c.status)).toEqual([400]);
    expect(await statusOf(shard)).toMatchObject({
      flush: { kind: 'failing', failures: 1, error: expect.stringContaining('22023') },
      pendingRows: 0,
      counters: { rejectedRows: 2 },
    });
    await ingestAnswers('ok');
    at(200_000);
    await runAlarms();
    expect(await newCalls()).toHaveLength(1);
  });

  it('keeps open minutes through an eviction once checkpointed', async () => {
    at(62_000);
    const reports = [0, 1, 2].map((i) => fleetFor(i, base));
    for (const [i, report] of reports.entries()) await postReport(report, { address: `192.0.2.${60 + i}` });
    const shards = [...new Set(reports.map((r) => usageShardOf(r.installDay, 8)))];
    at(73_000); // the first report was written at once, the checkpoint alarm 10 s later writes the others
    expect((await runAlarms()).sort()).toEqual([...shards].sort());
    expect(await newCalls()).toEqual([]);
    for (const shard of shards) await evictDurableObject(shardStub(shard));
    at(91_000);
    await runAlarms();
    expect(totalsOf((await newCalls()).flatMap(rowsOf), 'git')).toEqual(expectedTotals(reports, 'git'));
  });

  it('writes the first report after a quiet spell at once: an immediate eviction loses nothing', async () => {
    at(70_000);
    const report = fleetFor(4, base);
    await postReport(report, { address: '192.0.2.65' });
    const shard = usageShardOf(report.installDay, 8);
    await evictDurableObject(shardStub(shard));
    at(91_000);
    await runAlarms();
    expect(totalsOf((await newCalls()).flatMap(rowsOf), 'git')).toEqual(expectedTotals([report], 'git'));
  });

  it('counts a report for a minute already sent as late, and never sends that minute twice', async () => {
    at(70_000);
    const report = fleetFor(3, base);
    const shard = usageShardOf(report.installDay, 8);
    await postReport(report, { address: '192.0.2.70' });
    at(91_000);
    await runAlarms();
    expect(await newCalls()).toHaveLength(1);
    await postReport(fleetFor(3, base), { address: '192.0.2.70' });
    at(160_000);
    await runAlarms();
    expect(await newCalls()).toHaveLength(1);
    expect((await statusOf(shard)).counters).toMatchObject({ accepted: 1, late: 1 });
  });

  it('refuses the 6th report in a minute from one address, not one from another address', async () => {
    at(65_000);
    const address = '198.51.100.200';
    for (let i = 0; i < 5; i++) await postReport(fleetFor(100 + i, base), { address });
    const sixth = usageReport({ ...fleetFor(105, base), configVersion: marker + 1 });
    const other = usageReport({ ...fleetFor(106, base), configVersion: marker + 2 });
    expect((await postReport(sixth, { address })).status).toBe(200);
    expect((await postReport(other, { address: '198.51.100.201' })).status).toBe(200);
    // A minute later the address may report again.
    at(125_000);
    const later = usageReport({ ...fleetFor(107, base), configVersion: marker + 3 });
    await postReport(later, { address });

    at(151_000);
    await runAlarms();
    const rows = (await newCalls()).flatMap(rowsOf);
    const reportsOf = (version: number) =>
      rows
        .filter((row) => row.configVersion === version && row.source === 'git')
        .reduce((a, r) => a + r.reports, 0);
    expect(reportsOf(marker)).toBe(5);
    expect(reportsOf(marker + 1)).toBe(0);
    expect(reportsOf(marker + 2)).toBe(1);
    expect(reportsOf(marker + 3)).toBe(1);
  });

  it('keeps no client address in storage or in what it sends', async () => {
    const addresses = ['203.0.113.199', '2001:db8::beef', '198.51.100.77'];
    at(65_000);
    for (const [i, address] of addresses.entries()) {
      await postReport(fleetFor(200 + i, base), { address, headers: { 'x-forwarded-for': address } });
    }
    at(81_000); // checkpoint: open rows and counted installs are in storage
    await runAlarms();
    const checkpointed = JSON.stringify(await storedTables());
    expect(checkpointed).toContain(installDay(10_200)); // the dump does hold the reports
    at(91_000); // delivered
    await runAlarms();
    const calls = await newCalls();
    expect(calls.length).toBeGreaterThan(0);
    const everything = JSON.stringify({ checkpointed, delivered: await storedTables(), calls });
    for (const address of addresses) expect(everything).not.toContain(address);
  });
});
