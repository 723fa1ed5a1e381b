import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/local-supabase/src/index.ts';
import { asRole, BACKENDS, createUser, openBackend, type Role } from './support/backends.ts';
import { awayFromMinuteEnd, currentMinute, ingest, isoMinute, usageRow } from './support/usage-rows.ts';

const fleetUsage = async (db: Database, role: Role, sub: string | undefined, minutes: number | null = 60) =>
  (
    await asRole(db, role, sub, (tx) =>
      tx.query<{ u: Record<string, unknown> }>('select public.get_fleet_usage($1) as u', [minutes]),
    )
  ).rows[0]?.u;

/**
 * Stores rows as the owner, bypassing ingest (whose window refuses old minutes): `at` is a SQL
 * expression for the minute or hour, `row` the other columns (snake_case; counters default to 0).
 */
async function store(db: Database, table: 'usage_minutes' | 'usage_hours', at: string, row: object) {
  const defaults = {
    shard: 0,
    source: 'git',
    config_version: 2,
    installs: 0,
    rate_limited_installs: 0,
    reports: 0,
    requests: 0,
    successes: 0,
    not_modified: 0,
    errors: 0,
    rate_limited: 0,
    timeouts: 0,
    refused: 0,
    fallbacks: 0,
    stale_serves: 0,
    latency: [0, 0, 0, 0, 0, 0, 0, 0],
  };
  const time = table === 'usage_minutes' ? 'minute' : 'hour';
  await db.query(
    `insert into ${table} select * from jsonb_populate_record(null::${table},
       $1::jsonb || jsonb_build_object('${time}', ${at}))`,
    [JSON.stringify({ ...defaults, ...row })],
  );
}

describe.each(BACKENDS)('usage summary and retention on %s', (backend) => {
  let db: Database;
  let close: () => Promise<void>;
  let adminId: string;
  /**
   * The UTC hour eight days ago, as a SQL literal: every minute in it is past the 7-day minute
   * retention. Read once, so no statement sees another hour when the clock turns one.
   */
  let eightDaysAgo: string;

  beforeAll(async () => {
    ({ db, close } = await openBackend(backend));
    const { rows } = await db.query<{ hour: Date }>(
      `select date_trunc('hour', now() - interval '8 days', 'UTC') as hour`,
    );
    eightDaysAgo = `'${rows[0]?.hour.toISOString()}'::timestamptz`;
    adminId = await createUser(db, 'ada@cartae.dev', 'Ada Admin');
    await asRole(db, 'service_role', undefined, (tx) =>
      tx.query('select public.add_marketplace_admin($1)', [adminId]),
    );
  });
  afterAll(async () => {
    await close();
  });

  it('with no data: the window, and empty objects and arrays, never null', async () => {
    await awayFromMinuteEnd();
    const m = await currentMinute(db);
    expect(await fleetUsage(db, 'authenticated', adminId)).toEqual({
      from: isoMinute(m, -59),
      to: isoMinute(m, 1),
      minutes: 60,
      sources: {},
      series: [],
      versions: [],
      activeInstalls: 0,
      staleServes: 0,
    });
  });

  it('over 60 minutes: totals per source, a series per minute and source, versions and installs of the latest complete minute', async () => {
    await awayFromMinuteEnd();
    const m = await currentMinute(db);
    const at = (offset: number) => isoMinute(m, offset);
    await ingest(db, 'service_role', undefined, [
      // The minute before the window, and one 3 minutes ahead: both outside it.
      usageRow(at(-60), { configVersion: 4, requests: 1000, errors: 100, installs: 50, staleServes: 9 }),
      usageRow(at(3), { configVersion: 5, requests: 1000, installs: 99 }),
      // The window's first minute.
      usageRow(at(-59), {
        configVersion: 4,
        installs: 3,
        requests: 10,
        successes: 9,
        errors: 1,
        rateLimited: 1,
        staleServes: 1,
        latency: [5, 3, 1, 0, 0, 0, 0, 1],
      }),
      usageRow(at(-2), {
        configVersion: 4,
        installs: 4,
        requests: 20,
        successes: 18,
        notModified: 5,
        errors: 2,
        rateLimited: 1,
        timeouts: 1,
        latency: [10, 5, 3, 2, 0, 0, 0, 0],
        // Lower than anything later, but not the latest minute with a quota.
        quotaRemaining: 100,
        quotaLimit: 5000,
      }),
      usageRow(at(-2), {
        shard: 1,
        source: 'cloudflare',
        configVersion: 5,
        installs: 3,
        requests: 6,
        successes: 6,
        notModified: 6,
        fallbacks: 2,
        latency: [6, 0, 0, 0, 0, 0, 0, 0],
      }),
      // The latest complete minute: git on two shards and two versions, cloudflare on one.
      usageRow(at(-1), {
        configVersion: 4,
        installs: 2,
        requests: 8,
        successes: 8,
        latency: [8, 0, 0, 0, 0, 0, 0, 0],
        quotaRemaining: 250,
        quotaLimit: 5000,
      }),
      usageRow(at(-1), {
        shard: 1,
        configVersion: 5,
        installs: 5,
        requests: 12,
        successes: 10,
        errors: 2,
        timeouts: 1,
        refused: 1,
        latency: [2, 4, 4, 2, 0, 0, 0, 0],
        quotaRemaining: 200,
        quotaLimit: 5000,
      }),
      usageRow(at(-1), {
        shard: 1,
        source: 'cloudflare',
        configVersion: 5,
        installs: 6,
        requests: 7,
        successes: 7,
        fallbacks: 3,
        staleServes: 2,
        latency: [7, 0, 0, 0, 0, 0, 0, 0],
      }),
      // The minute being counted: in the totals and the series, not in the installs.
      usageRow(at(0), {
        configVersion: 5,
        installs: 40,
        requests: 100,
        successes: 100,
        latency: [50, 50, 0, 0, 0, 0, 0, 0],
      }),
    ]);

    const usage = await fleetUsage(db, 'authenticated', adminId);
    expect(usage).toEqual({
      from: at(-59),
      to: at(1),
      minutes: 60,
      sources: {
        git: {
          requests: 150,
          successes: 145,
          notModified: 5,
          errors: 5,
          rateLimited: 2,
          timeouts: 2,
          refused: 1,
          fallbacks: 0,
          latency: [75, 62, 8, 4, 0, 0, 0, 1],
          quotaRemaining: 200,
          quotaLimit: 5000,
        },
        cloudflare: {
          requests: 13,
          successes: 13,
          notModified: 6,
          errors: 0,
          rateLimited: 0,
          timeouts: 0,
          refused: 0,
          fallbacks: 5,
          latency: [13, 0, 0, 0, 0, 0, 0, 0],
          quotaRemaining: null,
          quotaLimit: null,
        },
      },
      series: [
        {
          minute: at(-59),
          source: 'git',
          requests: 10,
          errors: 1,
          rateLimited: 1,
          fallbacks: 0,
          installs: 3,
        },
        {
          minute: at(-2),
          source: 'cloudflare',
          requests: 6,
          errors: 0,
          rateLimited: 0,
          fallbacks: 2,
          installs: 3,
        },
        { minute: at(-2), source: 'git', requests: 20, errors: 2, rateLimited: 1, fallbacks: 0, installs: 4 },
        {
          minute: at(-1),
          source: 'cloudflare',
          requests: 7,
          errors: 0,
          rateLimited: 0,
          fallbacks: 3,
          installs: 6,
        },
        { minute: at(-1), source: 'git', requests: 20, errors: 2, rateLimited: 0, fallbacks: 0, installs: 7 },
        {
          minute: at(0),
          source: 'git',
          requests: 100,
          errors: 0,
          rateLimited: 0,
          fallbacks: 0,
          installs: 40,
        },
      ],
      // Version 5: 5 installs on git, 6 on cloudflare: the larger, since one install may use both.
      versions: [
        { configVersion: 5, installs: 6 },
        { configVersion: 4, installs: 2 },
      ],
      // git 2 + 5 over its shards, cloudflare 6: the larger.
      activeInstalls: 7,
      staleServes: 3,
    });
    // The service role sees the same; windows reach exactly as far as they say.
    expect(await fleetUsage(db, 'service_role', undefined)).toEqual(usage);
    const wider = (await fleetUsage(db, 'authenticated', adminId, 61)) as {
      sources: { git: { requests: number } };
      staleServes: number;
    };
    expect(wider.sources.git.requests).toBe(1150);
    expect(wider.staleServes).toBe(12);
    // One minute: only the minute being counted, which no complete minute precedes.
    expect(await fleetUsage(db, 'authenticated', adminId, 1)).toMatchObject({
      from: at(0),
      to: at(1),
      series: [{ minute: at(0), source: 'git', requests: 100, installs: 40 }],
      versions: [],
      activeInstalls: 0,
    });
  });

  it.each([0, -5, 10_081, null])('refuses a window of %s minutes with 22023', async (minutes) => {
    await expect(fleetUsage(db, 'authenticated', adminId, minutes)).rejects.toMatchObject({
      code: '22023',
      message: `invalid usage window: p_minutes must be between 1 and 10080 (7 days), not ${minutes}`,
    });
    expect(await fleetUsage(db, 'authenticated', adminId, 10_080)).toMatchObject({ minutes: 10_080 });
  });

  const minutesOf = async (configVersion: number) =>
    (
      await db.query<{ shard: number; installs: number }>(
        'select shard, installs::int from usage_minutes where config_version = $1 order by minute, shard',
        [configVersion],
      )
    ).rows;
  const hoursOf = async (configVersion: number) =>
    (
      await db.query(
        `select shard, (hour = ${eightDaysAgo}) as eight_days_ago, installs::int, requests::int,
                latency::int[], quota_remaining::int, quota_limit::int
           from usage_hours where config_version = $1 order by hour, shard`,
        [configVersion],
      )
    ).rows;
  const prune = () =>
    asRole(db, 'service_role', undefined, (tx) =>
      tx.query<{ p: unknown }>('select public.prune_usage() as p'),
    );

  it('prune_usage rolls 8-day-old minutes into hours (installs: the peak) and drops 91-day-old hours', async () => {
    await store(db, 'usage_minutes', `${eightDaysAgo} + interval '10 minutes'`, {
      installs: 5,
      requests: 10,
      latency: [1, 0, 0, 0, 0, 0, 0, 1],
      quota_remaining: 90,
      quota_limit: 100,
    });
    await store(db, 'usage_minutes', `${eightDaysAgo} + interval '11 minutes'`, {
      installs: 7,
      requests: 20,
      latency: [2, 2, 0, 0, 0, 0, 0, 0],
      quota_remaining: 80,
      quota_limit: 120,
    });
    await store(db, 'usage_minutes', `${eightDaysAgo} + interval '11 minutes'`, {
      shard: 1,
      installs: 1,
      requests: 1,
    });
    await store(db, 'usage_minutes', `date_trunc('minute', now() - interval '6 days')`, {
      shard: 3,
      installs: 4,
    });
    await store(db, 'usage_hours', `date_trunc('hour', now() - interval '91 days', 'UTC')`, {
      shard: 5,
      installs: 1,
    });
    await store(db, 'usage_hours', `date_trunc('hour', now() - interval '89 days', 'UTC')`, {
      shard: 6,
      installs: 1,
    });

    expect((await prune()).rows[0]?.p).toEqual({
      minutesRolledUp: 3,
      hoursWritten: 2,
      hoursDeleted: 1,
      batchIdsDeleted: 0,
    });
    expect(await minutesOf(2)).toEqual([{ shard: 3, installs: 4 }]);
    expect(await hoursOf(2)).toEqual([
      expect.objectContaining({ shard: 6, eight_days_ago: false }),
      {
        shard: 0,
        eight_days_ago: true,
        installs: 7,
        requests: 30,
        latency: [3, 2, 0, 0, 0, 0, 0, 1],
        quota_remaining: 80,
        quota_limit: 120,
      },
      {
        shard: 1,
        eight_days_ago: true,
        installs: 1,
        requests: 1,
        latency: [0, 0, 0, 0, 0, 0, 0, 0],
        quota_remaining: null,
        quota_limit: null,
      },
    ]);

    // A later pass over the same hour adds to it: sums grow, installs keep the peak.
    await store(db, 'usage_minutes', `${eightDaysAgo} + interval '40 minutes'`, {
      installs: 6,
      requests: 5,
      quota_remaining: 85,
      quota_limit: 100,
    });
    expect((await prune()).rows[0]?.p).toEqual({
      minutesRolledUp: 1,
      hoursWritten: 1,
      hoursDeleted: 0,
      batchIdsDeleted: 0,
    });
    expect((await hoursOf(2))[1]).toMatchObject({
      installs: 7,
      requests: 35,
      quota_remaining: 80,
      quota_limit: 120,
    });
  });

  it('ingest prunes when the last pass is an hour old, and not again within the hour', async () => {
    const m = await currentMinute(db);
    const lastPruned = async () =>
      (
        await db.query<{ recent: boolean }>(
          `select last_pruned_at > now() - interval '1 minute' as recent from marketplace_private.usage_retention`,
        )
      ).rows[0]?.recent;
    await db.query(
      `update marketplace_private.usage_retention set last_pruned_at = now() - interval '61 minutes'`,
    );
    expect(await lastPruned()).toBe(false);
    await store(db, 'usage_minutes', `${eightDaysAgo} + interval '50 minutes'`, {
      config_version: 3,
      installs: 2,
    });

    await ingest(db, 'service_role', undefined, [
      usageRow(isoMinute(m, -1), { configVersion: 3, installs: 1 }),
    ]);
    expect(await minutesOf(3)).toEqual([{ shard: 0, installs: 1 }]);
    expect(await hoursOf(3)).toEqual([expect.objectContaining({ eight_days_ago: true, installs: 2 })]);
    expect(await lastPruned()).toBe(true);

    await store(db, 'usage_minutes', `${eightDaysAgo} + interval '51 minutes'`, {
      config_version: 3,
      installs: 3,
    });
    await ingest(db, 'service_role', undefined, [
      usageRow(isoMinute(m, -1), { configVersion: 3, installs: 1 }),
    ]);
    expect(await minutesOf(3)).toEqual([
      { shard: 0, installs: 3 },
      { shard: 0, installs: 2 },
    ]);
    // prune_usage itself runs whenever it is called.
    await prune();
    expect(await minutesOf(3)).toEqual([{ shard: 0, installs: 2 }]);
    expect(await hoursOf(3)).toEqual([expect.objectContaining({ eight_days_ago: true, installs: 3 })]);
  });
});
