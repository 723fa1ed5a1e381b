import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/local-supabase/src/index.ts';
import { SOURCE_KINDS, type UsageAggregateRow } from '../../packages/marketplace-core/src/index.ts';
import { asRole, BACKENDS, createUser, openBackend, type Role } from './support/backends.ts';
import { currentMinute, ingest, isoMinute, outcome, usageRow } from './support/usage-rows.ts';

const without = (row: UsageAggregateRow, field: keyof UsageAggregateRow) =>
  Object.fromEntries(Object.entries(row).filter(([key]) => key !== field));

/**
 * Refused batches, built from a valid row for the minute before the current one (`ok`) and the
 * current minute (epoch ms), with the message the database must give after
 * `invalid usage aggregates: `.
 */
const refused: [string, (ok: UsageAggregateRow, minute: number) => unknown, string][] = [
  ['an object instead of an array', (ok) => ok, 'p_rows must be a JSON array of rows'],
  ['JSON null', () => null, 'p_rows must be a JSON array of rows'],
  [
    '1,001 rows',
    (ok) => Array.from({ length: 1001 }, (_, shard) => ({ ...ok, shard: shard % 256 })),
    'p_rows holds 1001 rows, at most 1000 may be sent at once',
  ],
  ['a row that is not an object', (ok) => [ok, 5], 'p_rows[1] must be an object'],
  ['a missing field', (ok) => [ok, without(ok, 'latency')], 'p_rows[1].latency is required'],
  [
    'a missing quota (null is required, not absence)',
    (ok) => [without(ok, 'quotaLimit')],
    'p_rows[0].quotaLimit is required',
  ],
  [
    'an extra field',
    (ok) => [{ ...ok, installDay: '0123456789abcdef' }],
    'p_rows[0].installDay is not a field of a usage aggregate row',
  ],
  [
    'a minute not on a minute',
    (ok, minute) => [{ ...ok, minute: new Date(minute - 30_000).toISOString() }],
    'p_rows[0].minute must be the start of a minute (no seconds)',
  ],
  [
    'a minute without a zone',
    (ok, minute) => [{ ...ok, minute: isoMinute(minute, -1).replace(/\.000Z$/, '') }],
    'p_rows[0].minute must be an ISO 8601 time with a zone, e.g. 2026-11-30T15:20:00.000Z',
  ],
  [
    'a minute as epoch milliseconds',
    (ok, minute) => [{ ...ok, minute: minute - 60_000 }],
    'p_rows[0].minute must be an ISO 8601 time with a zone, e.g. 2026-11-30T15:20:00.000Z',
  ],
  [
    'an impossible date',
    (ok) => [{ ...ok, minute: '2026-02-30T10:00:00.000Z' }],
    'p_rows[0].minute must be an ISO 8601 time with a zone, e.g. 2026-11-30T15:20:00.000Z',
  ],
  [
    'a minute from yesterday',
    (ok, minute) => [ok, { ...ok, minute: isoMinute(minute, -24 * 60) }],
    'p_rows[1].minute must lie within the last 2 hours and at most 5 minutes ahead',
  ],
  [
    'a minute 10 minutes ahead',
    (ok, minute) => [{ ...ok, minute: isoMinute(minute, 10) }],
    'p_rows[0].minute must lie within the last 2 hours and at most 5 minutes ahead',
  ],
  ['shard 256', (ok) => [{ ...ok, shard: 256 }], 'p_rows[0].shard must be a whole number between 0 and 255'],
  [
    'a fractional shard',
    (ok) => [{ ...ok, shard: 1.5 }],
    'p_rows[0].shard must be a whole number between 0 and 255',
  ],
  [
    'an unknown source',
    (ok) => [{ ...ok, source: 'r2' }],
    `p_rows[0].source must be one of ${[...SOURCE_KINDS].sort().join(', ')}`,
  ],
  [
    'a negative configVersion',
    (ok) => [{ ...ok, configVersion: -1 }],
    'p_rows[0].configVersion must be a whole number, 0 or more (0: the built-in default)',
  ],
  [
    'a negative counter',
    (ok) => [ok, ok, { ...ok, requests: -1 }],
    'p_rows[2].requests must be a whole number between 0 and 10000000',
  ],
  [
    'a counter past 10,000,000',
    (ok) => [{ ...ok, rateLimited: 10_000_001 }],
    'p_rows[0].rateLimited must be a whole number between 0 and 10000000',
  ],
  [
    'a counter as a string',
    (ok) => [{ ...ok, installs: '5' }],
    'p_rows[0].installs must be a whole number between 0 and 10000000',
  ],
  [
    'latency of 7 entries',
    (ok) => [{ ...ok, latency: [0, 0, 0, 0, 0, 0, 0] }],
    'p_rows[0].latency must be an array of 8 whole numbers between 0 and 10000000',
  ],
  [
    'a negative latency bucket',
    (ok) => [{ ...ok, latency: [0, 0, 0, -1, 0, 0, 0, 0] }],
    'p_rows[0].latency must be an array of 8 whole numbers between 0 and 10000000',
  ],
  [
    'a negative quota',
    (ok) => [{ ...ok, quotaRemaining: -1 }],
    'p_rows[0].quotaRemaining must be null or a whole number between 0 and 1000000000',
  ],
  [
    'a quota limit as a string',
    (ok) => [{ ...ok, quotaRemaining: 10, quotaLimit: '5000' }],
    'p_rows[0].quotaLimit must be null or a whole number between 0 and 1000000000',
  ],
];

describe.each(BACKENDS)('usage aggregates: roles and validation on %s', (backend) => {
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

  const stored = async () =>
    (
      await db.query<{ n: number }>(
        'select (select count(*) from usage_minutes)::int + (select count(*) from usage_hours)::int as n',
      )
    ).rows[0]?.n;
  const okRequests = async () =>
    Number(
      (
        await db.query<{ n: number }>(
          'select coalesce(sum(requests), 0)::int as n from usage_minutes where shard = 0 and config_version = 1',
        )
      ).rows[0]?.n,
    );
  const okRow = () => usageRow(isoMinute(minute, -1), { installs: 1, reports: 1, requests: 1, successes: 1 });
  const callers: [string, Role, () => string | undefined][] = [
    ['anon', 'anon', () => undefined],
    ['authenticated (not admin)', 'authenticated', () => userId],
    ['admin', 'authenticated', () => adminId],
    ['service_role', 'service_role', () => undefined],
  ];

  it.each([
    // caller, ingest, get_fleet_usage, prune_usage
    ['anon', '42501', '42501', '42501'],
    ['authenticated (not admin)', '42501', '42501', '42501'],
    ['admin', '42501', 'ok', '42501'],
    ['service_role', 'ok', 'ok', 'ok'],
  ])('%s: ingest %s, get_fleet_usage %s, prune_usage %s', async (name, ingestCode, fleetCode, pruneCode) => {
    const [, role, sub] = callers.find(([n]) => n === name) as (typeof callers)[number];
    const before = await okRequests();
    expect(await outcome(ingest(db, role, sub(), [okRow()]))).toBe(ingestCode);
    expect(await okRequests()).toBe(ingestCode === 'ok' ? before + 1 : before);
    expect(
      await outcome(asRole(db, role, sub(), (tx) => tx.query('select public.get_fleet_usage(60)'))),
    ).toBe(fleetCode);
    expect(await outcome(asRole(db, role, sub(), (tx) => tx.query('select public.prune_usage()')))).toBe(
      pruneCode,
    );
  });

  it('says why a caller is refused: no grant for API roles, the service role check for the owner', async () => {
    await expect(
      asRole(db, 'authenticated', userId, (tx) => tx.query('select public.get_fleet_usage()')),
    ).rejects.toMatchObject({ code: '42501', message: 'only marketplace admins may do this' });
    await expect(ingest(db, 'anon', undefined, [])).rejects.toMatchObject({
      code: '42501',
      message: 'permission denied for function ingest_usage_aggregates',
    });
    // The database owner (SQL editor, migrations) calls marketplace_private.prune_usage instead.
    await expect(db.query(`select public.ingest_usage_aggregates('[]')`)).rejects.toMatchObject({
      code: '42501',
      message: 'only the service role may do this',
    });
  });

  it.each(callers)(
    '%s cannot write the usage tables directly; only service_role reads them',
    async (_n, role, sub) => {
      const tables = ['usage_minutes', 'usage_hours'];
      for (const table of tables) {
        const statements = [
          `insert into ${table} select * from ${table} limit 0`,
          `update ${table} set requests = 0`,
          `delete from ${table}`,
        ];
        for (const sql of statements) {
          expect(`${sql} → ${await outcome(asRole(db, role, sub(), (tx) => tx.query(sql)))}`).toBe(
            `${sql} → 42501`,
          );
        }
        const read = await outcome(asRole(db, role, sub(), (tx) => tx.query(`select * from ${table}`)));
        expect(`select ${table} → ${read}`).toBe(
          `select ${table} → ${role === 'service_role' ? 'ok' : '42501'}`,
        );
      }
      expect(
        await outcome(
          asRole(db, role, sub(), (tx) =>
            tx.query('update marketplace_private.usage_retention set last_pruned_at = null'),
          ),
        ),
      ).toBe('42501');
    },
  );

  it.each(refused)(
    'refuses %s with 22023 naming the row and field; nothing is written',
    async (_name, build, message) => {
      const before = await stored();
      const error = await ingest(db, 'service_role', undefined, build(okRow(), minute)).then(
        () => undefined,
        (e: { code?: string; message?: string }) => e,
      );
      expect(error).toMatchObject({ code: '22023', message: `invalid usage aggregates: ${message}` });
      expect(await stored()).toBe(before);
    },
  );

  it('accepts 1,000 rows, every known source, null quotas, a zone offset, and an empty batch', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) =>
      usageRow(isoMinute(minute, -2 - Math.floor(i / 512)), {
        shard: (i >> 1) % 256,
        source: SOURCE_KINDS[i % SOURCE_KINDS.length],
        configVersion: 7,
        requests: i,
      }),
    );
    expect(await ingest(db, 'service_role', undefined, rows)).toBe(1000);
    const { rows: sums } = await db.query<{ n: number; requests: number }>(
      `select count(*)::int as n, sum(requests)::int as requests from usage_minutes where config_version = 7`,
    );
    expect(sums[0]).toEqual({ n: 1000, requests: (999 * 1000) / 2 });
    // 2026-…T17:20:00+02:00 is the same instant as 15:20Z.
    const at = new Date(minute - 5 * 60_000 + 2 * 3_600_000).toISOString().replace('.000Z', '+02:00');
    expect(
      await ingest(db, 'service_role', undefined, [usageRow(at, { configVersion: 8, requests: 3 })]),
    ).toBe(1);
    const { rows: offset } = await db.query<{ minute: Date }>(
      'select minute from usage_minutes where config_version = 8',
    );
    expect(offset[0]?.minute.getTime()).toBe(minute - 5 * 60_000);
    expect(await ingest(db, 'service_role', undefined, [])).toBe(0);
  });

  it('two flushes of the same minute and shard add up; quota keeps the lowest, with its limit', async () => {
    const at = isoMinute(minute, -3);
    const first = usageRow(at, {
      shard: 9,
      source: 'git',
      configVersion: 3,
      installs: 4,
      reports: 5,
      requests: 10,
      successes: 8,
      notModified: 3,
      errors: 2,
      rateLimited: 1,
      timeouts: 1,
      refused: 0,
      fallbacks: 1,
      staleServes: 1,
      latency: [4, 3, 1, 0, 0, 0, 0, 2],
      quotaRemaining: 120,
      quotaLimit: 5000,
    });
    const second = {
      ...first,
      installs: 2,
      reports: 2,
      requests: 5,
      successes: 5,
      notModified: 1,
      errors: 0,
      rateLimited: 0,
      timeouts: 0,
      fallbacks: 0,
      staleServes: 0,
      latency: [1, 1, 1, 1, 1, 0, 0, 0],
      quotaRemaining: 40,
      quotaLimit: 60,
    };
    expect(await ingest(db, 'service_role', undefined, [first])).toBe(1);
    expect(await ingest(db, 'service_role', undefined, [second])).toBe(1);
    // A third flush: the second's counts again with a higher quota, and a row with no quota, for
    // the same key in one batch (merged first: one row written). Neither moves the lowest quota.
    expect(
      await ingest(db, 'service_role', undefined, [
        { ...second, quotaRemaining: 4000, quotaLimit: 5000 },
        usageRow(at, { shard: 9, source: 'git', configVersion: 3, requests: 1 }),
      ]),
    ).toBe(1);
    const { rows } = await db.query(
      `select installs::int, reports::int, requests::int, successes::int, not_modified::int, errors::int,
              rate_limited::int, timeouts::int, refused::int, fallbacks::int, stale_serves::int,
              latency::int[], quota_remaining::int, quota_limit::int
         from usage_minutes where minute = $1 and shard = 9 and source = 'git' and config_version = 3`,
      [at],
    );
    expect(rows).toEqual([
      {
        installs: 8,
        reports: 9,
        requests: 21,
        successes: 18,
        not_modified: 5,
        errors: 2,
        rate_limited: 1,
        timeouts: 1,
        refused: 0,
        fallbacks: 1,
        stale_serves: 1,
        latency: [6, 5, 3, 2, 2, 0, 0, 2],
        quota_remaining: 40,
        quota_limit: 60,
      },
    ]);
    // Another shard, source or version is another row.
    expect(
      await ingest(db, 'service_role', undefined, [
        { ...first, shard: 10 },
        { ...first, source: 'cloudflare' },
        { ...first, configVersion: 4 },
      ]),
    ).toBe(3);
  });

  it('concurrent flushes of one row lose nothing', async () => {
    const row = usageRow(isoMinute(minute, -4), {
      shard: 200,
      configVersion: 9,
      installs: 1,
      requests: 3,
      latency: [1, 0, 0, 0, 0, 0, 0, 1],
    });
    await Promise.all(Array.from({ length: 20 }, () => ingest(db, 'service_role', undefined, [row])));
    const { rows } = await db.query(
      `select installs::int, requests::int, latency::int[] from usage_minutes where shard = 200 and config_version = 9`,
    );
    expect(rows).toEqual([{ installs: 20, requests: 60, latency: [20, 0, 0, 0, 0, 0, 0, 20] }]);
  });
});
