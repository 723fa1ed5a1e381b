import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/local-supabase/src/index.ts';
import { asRole, BACKENDS, createUser, openBackend, type Role } from './support/backends.ts';
import { currentMinute, ingest, ingestBatch, isoMinute, outcome, usageRow } from './support/usage-rows.ts';

/**
 * 20261201090000: `ingest_usage_aggregates(p_rows, p_batch_id)` adds a batch once per id (a resend
 * after a lost answer is not counted twice), the one-argument form keeps adding every call, batch
 * ids are pruned after 3 hours, and rows carry `rateLimitedInstalls` (optional, 0 when absent).
 */
describe.each(BACKENDS)('usage aggregates: batch ids and rate-limited installs on %s', (backend) => {
  let db: Database;
  let close: () => Promise<void>;
  let adminId: string;
  let userId: string;
  let minute: number;

  beforeAll(async () => {
    ({ db, close } = await openBackend(backend));
    adminId = await createUser(db, 'ada@cartae.dev', 'Ada Admin');
    userId = await createUser(db, 'bob@cartae.dev', 'Bob User');
    await asRole(db, 'service_role', undefined, (tx) =>
      tx.query('select public.add_marketplace_admin($1)', [adminId]),
    );
    minute = await currentMinute(db);
  });
  afterAll(async () => {
    await close();
  });

  /** A row of its own config version, so each test reads only its rows. */
  const row = (configVersion: number, fields: Parameters<typeof usageRow>[1] = {}) =>
    usageRow(isoMinute(minute, -1), { configVersion, installs: 2, reports: 2, requests: 5, ...fields });
  const stored = async (configVersion: number) =>
    (
      await db.query<{ installs: number; rate_limited_installs: number; requests: number }>(
        `select sum(installs)::int as installs, sum(rate_limited_installs)::int as rate_limited_installs,
                sum(requests)::int as requests
           from usage_minutes where config_version = $1`,
        [configVersion],
      )
    ).rows[0];
  const batchIds = async () =>
    (
      await db.query<{ batch_id: string }>(
        'select batch_id from marketplace_private.usage_batches order by 1',
      )
    ).rows.map((r) => r.batch_id);
  const service = (rows: unknown, batchId: string | null) =>
    ingestBatch(db, 'service_role', undefined, rows, batchId);

  it('the same batch id twice (an answer lost, the batch resent) is counted once', async () => {
    const rows = [row(101), row(101, { source: 'cloudflare', requests: 3 })];
    expect(await service(rows, '3:2026-11-30T15:20:00.000Z:a1b2c3d4')).toBe(2);
    expect(await service(rows, '3:2026-11-30T15:20:00.000Z:a1b2c3d4')).toBe(0);
    expect(await stored(101)).toEqual({ installs: 4, rate_limited_installs: 0, requests: 8 });
  });

  it('different batch ids add up, as two flushes of one minute do', async () => {
    expect(await service([row(102)], 'shard-0-batch-1')).toBe(1);
    expect(await service([row(102)], 'shard-0-batch-2')).toBe(1);
    expect(await stored(102)).toEqual({ installs: 4, rate_limited_installs: 0, requests: 10 });
  });

  it('concurrent deliveries of one batch id count it once', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => service([row(103)], 'concurrent-1')));
    expect(results.sort()).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(await stored(103)).toMatchObject({ requests: 5 });
  });

  it('the one-argument form (older Workers) still works, and adds every call', async () => {
    expect(await ingest(db, 'service_role', undefined, [row(104)])).toBe(1);
    expect(await ingest(db, 'service_role', undefined, [row(104)])).toBe(1);
    expect(await stored(104)).toMatchObject({ requests: 10 });
  });

  it('a refused batch records no id: the corrected batch may use it', async () => {
    const bad = [row(105, { requests: -1 })];
    await expect(service(bad, 'fixed-later')).rejects.toMatchObject({
      code: '22023',
      message: 'invalid usage aggregates: p_rows[0].requests must be a whole number between 0 and 10000000',
    });
    expect(await batchIds()).not.toContain('fixed-later');
    expect(await service([row(105)], 'fixed-later')).toBe(1);
    expect(await stored(105)).toMatchObject({ requests: 5 });
  });

  it('an id reused for other rows is refused (a sender bug), and nothing is added', async () => {
    expect(await service([row(106)], 'reused')).toBe(1);
    await expect(service([row(106, { requests: 9 })], 'reused')).rejects.toMatchObject({
      code: '22023',
      message:
        'invalid usage aggregates: p_batch_id reused was already applied with other rows; a batch is resent unchanged, new rows take a new id',
    });
    expect(await stored(106)).toMatchObject({ requests: 5 });
  });

  it.each([
    ['null', null],
    ['empty', ''],
    ['with a space', 'batch 1'],
    ['129 characters', 'x'.repeat(129)],
  ])('refuses a batch id %s with 22023; nothing is written', async (_name, id) => {
    await expect(service([row(107)], id)).rejects.toMatchObject({
      code: '22023',
      message:
        'invalid usage aggregates: p_batch_id must be 1 to 128 characters of letters, digits and : . _ -, the same for every resend of a batch',
    });
    expect(await stored(107)).toMatchObject({ requests: null });
  });

  it('prune_usage forgets batch ids applied more than 3 hours ago, not younger ones', async () => {
    expect(await service([row(108)], 'old-batch')).toBe(1);
    expect(await service([row(108)], 'young-batch')).toBe(1);
    await db.query(
      `update marketplace_private.usage_batches set applied_at = now() - interval '3 hours 1 minute'
        where batch_id = 'old-batch'`,
    );
    await db.query(
      `update marketplace_private.usage_batches set applied_at = now() - interval '2 hours 59 minutes'
        where batch_id = 'young-batch'`,
    );
    const { rows } = await asRole(db, 'service_role', undefined, (tx) =>
      tx.query<{ p: Record<string, number> }>('select public.prune_usage() as p'),
    );
    expect(rows[0]?.p).toMatchObject({ batchIdsDeleted: 1 });
    const ids = await batchIds();
    expect(ids).not.toContain('old-batch');
    expect(ids).toContain('young-batch');
    // A resend after that long is refused anyway: its minutes are older than the 2 hours ingest takes.
    await expect(
      service([usageRow(isoMinute(minute, -121), { configVersion: 108 })], 'old-batch'),
    ).rejects.toMatchObject({ code: '22023' });
  });

  describe('roles: unchanged, service_role only', () => {
    const callers: [string, Role, () => string | undefined, string][] = [
      ['anon', 'anon', () => undefined, '42501'],
      ['authenticated (not admin)', 'authenticated', () => userId, '42501'],
      ['admin', 'authenticated', () => adminId, '42501'],
      ['service_role', 'service_role', () => undefined, 'ok'],
    ];
    it.each(callers)('%s: ingest with a batch id → %s', async (name, role, sub, code) => {
      const version = 110 + callers.findIndex(([n]) => n === name);
      expect(await outcome(ingestBatch(db, role, sub(), [row(version)], `roles-${version}`))).toBe(code);
      expect((await stored(version))?.requests).toBe(code === 'ok' ? 5 : null);
    });

    it.each(callers)('%s cannot read or write the batch ids', async (_name, role, sub) => {
      for (const sql of [
        'select * from marketplace_private.usage_batches',
        `insert into marketplace_private.usage_batches (batch_id, row_count, rows_md5) values ('x', 0, 'x')`,
        'delete from marketplace_private.usage_batches',
      ]) {
        expect(`${sql} → ${await outcome(asRole(db, role, sub(), (tx) => tx.query(sql)))}`).toBe(
          `${sql} → 42501`,
        );
      }
    });

    it('the owner is refused by the service role check, as for the one-argument form', async () => {
      await expect(
        db.query(`select public.ingest_usage_aggregates('[]', 'owner-batch')`),
      ).rejects.toMatchObject({ code: '42501', message: 'only the service role may do this' });
      await expect(ingestBatch(db, 'anon', undefined, [], 'anon-batch')).rejects.toMatchObject({
        code: '42501',
        message: 'permission denied for function ingest_usage_aggregates',
      });
    });
  });

  describe('rateLimitedInstalls', () => {
    it('is stored and added up; absent (older Workers) it counts 0', async () => {
      expect(await service([row(120, { installs: 5, rateLimitedInstalls: 3 })], 'rli-1')).toBe(1);
      expect(await service([row(120, { installs: 4, rateLimitedInstalls: 4 })], 'rli-2')).toBe(1);
      const { rateLimitedInstalls: _, ...older } = row(120, { installs: 6 });
      expect(await ingest(db, 'service_role', undefined, [older])).toBe(1);
      expect(await stored(120)).toEqual({ installs: 15, rate_limited_installs: 7, requests: 15 });
    });

    it.each([
      ['more than installs', { installs: 2, rateLimitedInstalls: 3 }, 'must not exceed installs'],
      [
        'past 10,000,000',
        { installs: 10_000_000, rateLimitedInstalls: 10_000_001 },
        'must be a whole number between 0 and 10000000',
      ],
      ['negative', { rateLimitedInstalls: -1 }, 'must be a whole number between 0 and 10000000'],
      ['a string', { rateLimitedInstalls: '1' }, 'must be a whole number between 0 and 10000000'],
    ])('refuses one %s with 22023', async (_name, fields, problem) => {
      await expect(
        service([row(121), { ...row(121), ...fields }], `bad-rli-${_name.replace(/\W/g, '-')}`),
      ).rejects.toMatchObject({
        code: '22023',
        message: `invalid usage aggregates: p_rows[1].rateLimitedInstalls ${problem}`,
      });
      expect((await stored(121))?.requests).toBeNull();
    });

    it('rolls into hours as the peak minute, like installs', async () => {
      const eightDaysAgo = `date_trunc('hour', now() - interval '8 days', 'UTC')`;
      for (const [offset, installs, limited] of [
        [1, 10, 4],
        [2, 8, 6],
      ] as const) {
        await db.query(
          `insert into usage_minutes (minute, shard, source, config_version, installs, rate_limited_installs,
             reports, requests, successes, not_modified, errors, rate_limited, timeouts, refused, fallbacks,
             stale_serves, latency)
           values (${eightDaysAgo} + make_interval(mins => $1), 0, 'git', 122, $2, $3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
             '{0,0,0,0,0,0,0,0}')`,
          [offset, installs, limited],
        );
      }
      await asRole(db, 'service_role', undefined, (tx) => tx.query('select public.prune_usage()'));
      const { rows } = await db.query(
        'select installs::int, rate_limited_installs::int from usage_hours where config_version = 122',
      );
      expect(rows).toEqual([{ installs: 10, rate_limited_installs: 6 }]);
    });
  });
});
