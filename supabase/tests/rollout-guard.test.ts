import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/local-supabase/src/index.ts';
import { asRole, BACKENDS, createUser, openBackend, type Role } from './support/backends.ts';
import {
  automationAction,
  currentMinute,
  ingest,
  isoMinute,
  outcome,
  usageRow,
} from './support/usage-rows.ts';

const GIT = 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json';
const CDN = 'https://marketplace.cartae.com';
/** On Git, no automatic switch, no rolloutGuard (the guard on with its defaults: 5 % over 10 min). */
const base = { type: 'git', priority: ['git'], gitUrl: GIT, cloudflareUrl: CDN, futureField: { kept: true } };
/** The change the guard watches: everything to the CDN. */
const toCdn = { ...base, type: 'cloudflare', priority: ['cloudflare'] };

interface Evaluation {
  action: 'rolled-back' | 'switched' | 'none';
  reason?: string;
  from?: number;
  to?: number;
  restored?: number;
  evidence?: Record<string, unknown>;
}

/** CDN usage in the minute `offset` minutes from `minute`. */
const cdn = (minute: number, offset: number, installs: number, requests: number, errors: number) =>
  usageRow(isoMinute(minute, offset), {
    source: 'cloudflare',
    installs,
    reports: installs,
    requests,
    successes: requests - errors,
    errors,
  });
/** `installs`, `requests` and `errors` in each of the minutes m-7 … m-1 (after a change at m-8). */
const afterChange = (m: number, installs: number, requests: number, errors: number) =>
  Array.from({ length: 7 }, (_, i) => cdn(m, -1 - i, installs, requests, errors));

describe.each(BACKENDS)('guarded rollout on %s', (backend) => {
  let db: Database;
  let close: () => Promise<void>;
  let adminId: string;
  let userId: string;
  let m: number;
  let at: number;

  beforeAll(async () => {
    ({ db, close } = await openBackend(backend));
    adminId = await createUser(db, 'ada@cartae.dev', 'Ada Admin');
    userId = await createUser(db, 'bob@cartae.dev', 'Bob User');
    await asRole(db, 'service_role', undefined, (tx) =>
      tx.query('select public.add_marketplace_admin($1)', [adminId]),
    );
  });
  afterAll(async () => {
    await close();
  });
  beforeEach(async () => {
    m = await currentMinute(db);
    at = m + 30_000;
  });

  const evaluate = async (when: number = at, role: Role = 'service_role', sub?: string) => {
    const { rows } = await asRole(db, role, sub, (tx) =>
      tx.query<{ r: Evaluation }>('select public.evaluate_fleet_automation($1::timestamptz) as r', [
        new Date(when).toISOString(),
      ]),
    );
    return automationAction(rows[0]!.r);
  };
  const save = (doc: unknown, reason = 'test') =>
    asRole(db, 'authenticated', adminId, (tx) =>
      tx.query('select public.update_app_config($1, $2, $3)', [
        'marketplace_source',
        JSON.stringify(doc),
        reason,
      ]),
    );
  const config = async () => {
    const { rows } = await db.query<{ config_value: Record<string, unknown>; version: string }>(
      `select config_value, version from app_config where config_key = 'marketplace_source'`,
    );
    return { doc: rows[0]!.config_value, version: Number(rows[0]!.version) };
  };
  const lastHistory = async () =>
    (
      await db.query<Record<string, unknown>>(
        `select version::int, origin, reason, evidence, new_value from app_config_history order by id desc limit 1`,
      )
    ).rows[0]!;
  const rollbacks = async () =>
    Number(
      (
        await db.query<{ n: string }>(
          `select count(*) as n from app_config_history where origin = 'auto-rollback'`,
        )
      ).rows[0]?.n,
    );
  /** Moves the latest change to `ms` (epoch ms), as if it had been made then. */
  const changedAt = (ms: number) =>
    db.query(
      `update app_config_history set changed_at = $1::timestamptz where id = (select max(id) from app_config_history)`,
      [new Date(ms).toISOString()],
    );
  /** No usage; `base` saved, then `doc` saved by an admin 8 min 10 s before the current minute. */
  async function change(doc: unknown) {
    await db.query('delete from usage_minutes');
    await save(base);
    await save(doc);
    await changedAt(m - 8 * 60_000 + 10_000);
    return (await config()).version;
  }

  it('a change to a CDN that answers 500s for most installs: rolled back once, origin auto-rollback, reason and evidence', async () => {
    const v = await change(toCdn);
    // 7 × 653 = 4,571 requests, 7 × 80 = 560 errors: 12.2 %.
    await ingest(db, 'service_role', undefined, afterChange(m, 30, 653, 80));
    const before = await rollbacks();
    const reason = `auto-rollback: Cartae rolled back config v${v} to v${v - 1}'s content as v${v + 1}: CDN errors 12.2 % of 4,571 requests over 10 min > 5 %`;
    const evidence = {
      sources: ['cloudflare'],
      from: isoMinute(m, -7),
      to: isoMinute(m),
      windowMinutes: 10,
      changedVersion: v,
      restoredVersion: v - 1,
      installs: 30,
      requests: 4571,
      errors: 560,
      errorPercent: 12.2,
      guardPercent: 5,
      before: { from: isoMinute(m, -18), to: isoMinute(m, -8), requests: 0, errors: 0, errorPercent: 0 },
      minInstalls: 20,
      minRequests: 100,
    };
    expect(await evaluate()).toEqual({
      action: 'rolled-back',
      from: v,
      to: v + 1,
      restored: v - 1,
      reason,
      evidence,
    });
    expect(await config()).toEqual({ doc: base, version: v + 1 });
    expect(await lastHistory()).toEqual({
      version: v + 1,
      origin: 'auto-rollback',
      reason,
      evidence,
      new_value: base,
    });
    expect(await evaluate()).toEqual({
      action: 'none',
      reason: 'auto-switch is off',
    });
    expect(await rollbacks()).toBe(before + 1);
    expect((await config()).version).toBe(v + 1);
  });

  it.each([
    ['below the guard (4.9 %)', (mm: number) => afterChange(mm, 30, 1000, 49)],
    ['not enough installs (19 in the busiest minute)', (mm: number) => afterChange(mm, 19, 1000, 900)],
    ['not enough requests (99)', (mm: number) => [cdn(mm, -1, 30, 99, 99)]],
  ])('%s: none', async (_name, rows) => {
    const v = await change(toCdn);
    await ingest(db, 'service_role', undefined, rows(m));
    expect(await evaluate()).toMatchObject({ action: 'none' });
    expect(await config()).toEqual({ doc: toCdn, version: v });
  });

  it('a change that does not change where apps fetch from (arming the automatic switch) is not guarded', async () => {
    const armed = {
      ...base,
      cacheTtlSeconds: 60,
      autoSwitch: { enabled: true, rateLimitedPercent: 70, windowMinutes: 10, target: 'cloudflare' },
    };
    const v = await change(armed);
    // Git, where the fleet already was, starts failing after the change: 12.2 % errors.
    const gitFailing = afterChange(m, 30, 653, 80).map((row) => ({ ...row, source: 'git' as const }));
    await ingest(db, 'service_role', undefined, gitFailing);
    const before = await rollbacks();
    expect(await evaluate()).toMatchObject({ action: 'none' });
    expect(await config()).toEqual({ doc: armed, version: v });
    expect(await rollbacks()).toBe(before);
  });

  it('guard reasons are exact', async () => {
    const v = await change(toCdn);
    await ingest(db, 'service_role', undefined, [cdn(m, -1, 30, 99, 99)]);
    const { rows } = await db.query<{ r: Evaluation }>(
      'select marketplace_private.evaluate_rollout_guard($1::timestamptz) as r',
      [new Date(at).toISOString()],
    );
    expect(rows[0]!.r.reason).toBe(
      `guarding version ${v}: not enough evidence yet, 30 installs and 99 CDN requests (at least 20 installs and 100 requests are needed)`,
    );
  });

  it('the previous config was equally bad (the CDN already erred before the change): none', async () => {
    const v = await change(toCdn);
    const earlier = Array.from({ length: 10 }, (_, i) => cdn(m, -9 - i, 30, 100, 50));
    await ingest(db, 'service_role', undefined, [...earlier, ...afterChange(m, 30, 1000, 800)]);
    const { rows } = await db.query<{ r: Evaluation }>(
      'select marketplace_private.evaluate_rollout_guard($1::timestamptz) as r',
      [new Date(at).toISOString()],
    );
    expect(rows[0]!.r.reason).toBe(
      `guarding version ${v}: CDN errors 80.0 %, but already 50.0 % before the change; rolling back would not help`,
    );
    expect(await evaluate()).toMatchObject({ action: 'none' });
    expect(await config()).toEqual({ doc: toCdn, version: v });
  });

  it('after the window: none', async () => {
    const v = await change(toCdn);
    await changedAt(m - 10 * 60_000 - 1_000);
    await ingest(db, 'service_role', undefined, afterChange(m, 30, 1000, 800));
    const { rows } = await db.query<{ r: Evaluation }>(
      'select marketplace_private.evaluate_rollout_guard($1::timestamptz) as r',
      [new Date(at).toISOString()],
    );
    expect(rows[0]!.r).toEqual({ action: 'none', reason: `version ${v} is past its 10 min guard window` });
    expect(await evaluate()).toMatchObject({ action: 'none' });
    expect(await config()).toEqual({ doc: toCdn, version: v });
  });

  it('the window and the guard are configurable: 90 % is not crossed by 80 %, a 5 min window is over', async () => {
    const strict = { ...toCdn, rolloutGuard: { enabled: true, errorPercent: 90, windowMinutes: 10 } };
    let v = await change(strict);
    await ingest(db, 'service_role', undefined, afterChange(m, 30, 1000, 800));
    expect(await evaluate()).toMatchObject({ action: 'none' });
    expect(await config()).toEqual({ doc: strict, version: v });
    const short = { ...toCdn, rolloutGuard: { enabled: true, errorPercent: 5, windowMinutes: 5 } };
    v = await change(short);
    await ingest(db, 'service_role', undefined, afterChange(m, 30, 1000, 800));
    expect(await evaluate()).toMatchObject({ action: 'none' });
    expect(await config()).toEqual({ doc: short, version: v });
  });

  it('kill switch off (rolloutGuard.enabled false): none', async () => {
    const off = { ...toCdn, rolloutGuard: { enabled: false, errorPercent: 5, windowMinutes: 10 } };
    const v = await change(off);
    await ingest(db, 'service_role', undefined, afterChange(m, 30, 1000, 800));
    const { rows } = await db.query<{ r: Evaluation }>(
      'select marketplace_private.evaluate_rollout_guard($1::timestamptz) as r',
      [new Date(at).toISOString()],
    );
    expect(rows[0]!.r).toEqual({ action: 'none', reason: 'the rollout guard is off' });
    expect(await evaluate()).toEqual({ action: 'none', reason: 'auto-switch is off' });
    expect(await config()).toEqual({ doc: off, version: v });
  });

  it('a rollback is never rolled back, even when the restored sources err; an admin change after it opens a new window', async () => {
    const v = await change(toCdn);
    await ingest(db, 'service_role', undefined, [
      ...afterChange(m, 30, 1000, 800),
      ...Array.from({ length: 7 }, (_, i) =>
        usageRow(isoMinute(m, -1 - i), { installs: 30, requests: 1000, errors: 900 }),
      ),
    ]);
    expect(await evaluate()).toMatchObject({ action: 'rolled-back', from: v, to: v + 1 });
    // The rollback made 8 minutes ago: Git errs at 90 % after it, and nothing happens.
    await changedAt(m - 8 * 60_000 + 20_000);
    const { rows } = await db.query<{ r: Evaluation }>(
      'select marketplace_private.evaluate_rollout_guard($1::timestamptz) as r',
      [new Date(at).toISOString()],
    );
    expect(rows[0]!.r).toEqual({
      action: 'none',
      reason: `version ${v + 1} came from auto-rollback, which the guard does not watch`,
    });
    expect(await evaluate()).toMatchObject({ action: 'none' });
    expect(await config()).toEqual({ doc: base, version: v + 1 });

    // An admin changes to the CDN again: a new change, a new window, a new rollback.
    await save(toCdn, 'try the CDN again');
    await changedAt(m - 8 * 60_000 + 30_000);
    expect(await evaluate()).toMatchObject({
      action: 'rolled-back',
      from: v + 2,
      to: v + 3,
      restored: v + 1,
    });
    expect(await config()).toEqual({ doc: base, version: v + 3 });
  });

  it('concurrent evaluations roll back once', async () => {
    const v = await change(toCdn);
    await ingest(db, 'service_role', undefined, afterChange(m, 30, 1000, 800));
    const before = await rollbacks();
    const results = await Promise.all(Array.from({ length: 5 }, () => evaluate()));
    expect(results.filter((r) => r.action === 'rolled-back')).toHaveLength(1);
    expect(results.filter((r) => r.action === 'none')).toHaveLength(4);
    expect(await config()).toEqual({ doc: base, version: v + 1 });
    expect(await rollbacks()).toBe(before + 1);
  });

  it.each([
    ['anon', 'anon', undefined],
    ['authenticated (not admin)', 'authenticated', 'user'],
    ['admin', 'authenticated', 'admin'],
  ] as const)('%s may not evaluate (42501), and nothing is rolled back', async (_n, role, who) => {
    const v = await change(toCdn);
    await ingest(db, 'service_role', undefined, afterChange(m, 30, 1000, 800));
    const sub = who === 'admin' ? adminId : who === 'user' ? userId : undefined;
    expect(await outcome(evaluate(at, role, sub))).toBe('42501');
    expect(await config()).toEqual({ doc: toCdn, version: v });
  });

  it('an auto-rollback origin cannot be written through update_app_config: it is recorded as admin', async () => {
    await change(toCdn);
    await save(base, 'auto-rollback: pretending');
    expect(await lastHistory()).toMatchObject({ origin: 'admin', evidence: null });
  });

  it.each([
    [{ enabled: 'yes', errorPercent: 5, windowMinutes: 10 }, 'rolloutGuard.enabled must be true or false'],
    [
      { enabled: true, errorPercent: 101, windowMinutes: 10 },
      'rolloutGuard.errorPercent must be a number between 0 and 100',
    ],
    [
      { enabled: true, errorPercent: '5', windowMinutes: 10 },
      'rolloutGuard.errorPercent must be a number between 0 and 100',
    ],
    [
      { enabled: true, errorPercent: 5, windowMinutes: 1.5 },
      'rolloutGuard.windowMinutes must be a whole number of minutes between 1 and 1440',
    ],
    [
      { enabled: true, errorPercent: 5, windowMinutes: 0 },
      'rolloutGuard.windowMinutes must be a whole number of minutes between 1 and 1440',
    ],
    [
      { enabled: true, errorPercent: 5 },
      'rolloutGuard.windowMinutes must be a whole number of minutes between 1 and 1440',
    ],
    ['on', 'rolloutGuard must be an object'],
  ])('refuses rolloutGuard %j: %s', async (guard, message) => {
    await expect(save({ ...base, rolloutGuard: guard })).rejects.toMatchObject({
      code: '22023',
      message: `invalid marketplace_source: ${message}`,
    });
  });
});
