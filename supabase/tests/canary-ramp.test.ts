import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/local-supabase/src/index.ts';
import { asRole, BACKENDS, createUser, openBackend } from './support/backends.ts';
import { automationAction, currentMinute, ingest, isoMinute, usageRow } from './support/usage-rows.ts';

const GIT = 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json';
const CDN = 'https://marketplace.cartae.com';
const RAMP = { enabled: true, steps: [10, 50, 100], holdMinutes: 30 };
/** Hybrid, the CDN first for 10 % of installs, ramping 10 → 50 → 100 with 30 min holds. */
const canary = {
  type: 'hybrid',
  priority: ['cloudflare', 'git'],
  canaryPercent: 10,
  gitUrl: GIT,
  cloudflareUrl: CDN,
  canaryRamp: RAMP,
};

interface Evaluation {
  action: string;
  reason?: string;
  canaryRamp?: { reason: string; evidence?: Record<string, unknown> };
  from?: number;
  to?: number;
  version?: number;
  evidence?: Record<string, unknown>;
}

describe.each(BACKENDS)('canary ramp on %s', (backend) => {
  let db: Database;
  let close: () => Promise<void>;
  let adminId: string;
  let m: number;

  beforeAll(async () => {
    ({ db, close } = await openBackend(backend));
    adminId = await createUser(db, 'ada@cartae.dev', 'Ada Admin');
    await asRole(db, 'service_role', undefined, (tx) =>
      tx.query('select public.add_marketplace_admin($1)', [adminId]),
    );
  });
  afterAll(async () => {
    await close();
  });
  beforeEach(async () => {
    m = await currentMinute(db);
    await db.exec(
      'delete from usage_minutes; update marketplace_private.fleet_settings set automation_paused = false;',
    );
  });

  const evaluate = async (when: number = m + 30_000): Promise<Evaluation> => {
    const { rows } = await asRole(db, 'service_role', undefined, (tx) =>
      tx.query<{ r: Evaluation }>('select public.evaluate_fleet_automation($1::timestamptz) as r', [
        new Date(when).toISOString(),
      ]),
    );
    return automationAction(rows[0]!.r);
  };
  const save = (doc: unknown) =>
    asRole(db, 'authenticated', adminId, (tx) =>
      tx.query('select public.update_app_config($1, $2, $3)', [
        'marketplace_source',
        JSON.stringify(doc),
        'test',
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
        `select version::int, origin, reason, evidence from app_config_history order by id desc limit 1`,
      )
    ).rows[0]!;
  /** Saves `doc` (after a plain Git config, so it is a change) as if `minutesAgo` before the current minute. */
  async function saved(doc: unknown, minutesAgo = 40) {
    await save({ type: 'git', priority: ['git'], gitUrl: GIT, cloudflareUrl: CDN });
    await save(doc);
    await db.query(
      `update app_config_history set changed_at = $1::timestamptz where id = (select max(id) from app_config_history)`,
      [new Date(m - minutesAgo * 60_000 + 10_000).toISOString()],
    );
    return (await config()).version;
  }
  /** CDN usage in each of the `minutes` minutes before the current one. */
  const cdnMinutes = (minutes: number, installs: number, requests: number, errors: number) =>
    Array.from({ length: minutes }, (_, i) =>
      usageRow(isoMinute(m, -1 - i), {
        source: 'cloudflare',
        installs,
        reports: installs,
        requests,
        successes: requests - errors,
        errors,
      }),
    );

  it('after the hold, with the CDN healthy: raises 10 % to 50 %, origin auto-ramp, reason and evidence; then holds again', async () => {
    const v = await saved(canary);
    // 39 × 100 = 3,900 requests, 39 errors: 1.0 %.
    await ingest(db, 'service_role', undefined, cdnMinutes(39, 25, 100, 1));
    const reason =
      'auto-ramp: Cartae raised the canary from 10 % to 50 % after 30 min: CDN errors 1.0 % of 3,900 requests ≤ 5 %';
    const evidence = {
      source: 'cloudflare',
      fromPercent: 10,
      toPercent: 50,
      steps: [10, 50, 100],
      holdMinutes: 30,
      from: isoMinute(m, -39),
      to: isoMinute(m),
      installs: 25,
      requests: 3900,
      errors: 39,
      errorPercent: 1,
      guardPercent: 5,
      minInstalls: 20,
      minRequests: 100,
    };
    expect(await evaluate()).toEqual({
      action: 'promoted',
      from: 10,
      to: 50,
      version: v + 1,
      reason,
      evidence,
    });
    expect(await config()).toEqual({ doc: { ...canary, canaryPercent: 50 }, version: v + 1 });
    expect(await lastHistory()).toEqual({ version: v + 1, origin: 'auto-ramp', reason, evidence });
    // The new step holds its 30 minutes from now on.
    expect(await evaluate()).toMatchObject({ action: 'none' });
    expect((await config()).version).toBe(v + 1);
  });

  it('before the hold ends: none, saying until when', async () => {
    const v = await saved(canary, 10);
    await ingest(db, 'service_role', undefined, cdnMinutes(9, 25, 100, 0));
    const answer = await evaluate();
    expect(answer.action).toBe('none');
    expect(answer.canaryRamp?.reason).toMatch(
      /^canary at 10 %: holding until \d{4}-\d\d-\d\dT[\d:.]+Z before 50 %$/,
    );
    expect((await config()).version).toBe(v);
  });

  it.each([
    [
      'the CDN erring above the guard (5.1 %)',
      () => cdnMinutes(39, 25, 1000, 51),
      /^canary at 10 %: not promoted, CDN errors 5\.1 % of 39000 requests > 5 %$/,
    ],
    [
      'not enough installs (19)',
      () => cdnMinutes(39, 19, 100, 0),
      /^canary at 10 %: not enough evidence to promote yet, 19 installs/,
    ],
    [
      'no traffic at all',
      () => [],
      /^canary at 10 %: not enough evidence to promote yet, 0 installs and 0 CDN requests/,
    ],
  ])('%s: never promotes', async (_name, rows, reason) => {
    const v = await saved(canary);
    await ingest(db, 'service_role', undefined, rows());
    const answer = await evaluate();
    expect(answer.action).toBe('none');
    expect(answer.canaryRamp?.reason).toMatch(reason);
    expect((await config()).version).toBe(v);
  });

  it('a promotion opens a guard window: a bad step is rolled back to the previous percentage, and the ramp stops', async () => {
    const v = await saved(canary);
    await ingest(db, 'service_role', undefined, cdnMinutes(39, 25, 100, 0));
    expect((await evaluate()).action).toBe('promoted');
    // The promotion happened 8 minutes ago (moved back), and since then the CDN errs on 30 %.
    await db.query(
      `update app_config_history set changed_at = $1::timestamptz where id = (select max(id) from app_config_history)`,
      [new Date(m - 8 * 60_000 + 10_000).toISOString()],
    );
    await db.exec('delete from usage_minutes');
    await ingest(db, 'service_role', undefined, cdnMinutes(7, 25, 100, 30));
    expect(await evaluate()).toMatchObject({ action: 'rolled-back', from: v + 1, to: v + 2, restored: v });
    expect((await config()).doc).toEqual(canary);
    // Stopped: even long after and with a healthy CDN, no promotion until an admin changes the config.
    await db.exec('delete from usage_minutes');
    await ingest(db, 'service_role', undefined, cdnMinutes(39, 25, 100, 0));
    const later = await evaluate(m + 2 * 60 * 60_000);
    expect(later.action).toBe('none');
    expect(later.canaryRamp?.reason).toBe(
      `the canary ramp stopped: version ${v + 1} was rolled back automatically; it resumes after an admin's change`,
    );
    expect((await config()).version).toBe(v + 2);
  });

  it.each([
    [
      'a Git-only config',
      { type: 'git', priority: ['git'], gitUrl: GIT, canaryRamp: RAMP },
      'the canary ramp applies to hybrid configs only',
    ],
    ['a complete ramp', { ...canary, canaryPercent: 100 }, 'the canary ramp is complete at 100 %'],
    ['a disabled ramp', { ...canary, canaryRamp: { ...RAMP, enabled: false } }, 'no canary ramp'],
  ])('%s: none', async (_name, doc, reason) => {
    const v = await saved(doc);
    await ingest(db, 'service_role', undefined, cdnMinutes(39, 25, 100, 0));
    const answer = await evaluate();
    expect(answer.action).toBe('none');
    expect(answer.canaryRamp?.reason ?? 'no canary ramp').toBe(reason);
    expect((await config()).version).toBe(v);
  });

  it('paused by an admin: no promotion', async () => {
    const v = await saved(canary);
    await ingest(db, 'service_role', undefined, cdnMinutes(39, 25, 100, 0));
    await asRole(db, 'authenticated', adminId, (tx) =>
      tx.query(`select public.update_fleet_settings('{"automationPaused": true}')`),
    );
    expect(await evaluate()).toMatchObject({ action: 'none', paused: true });
    expect((await config()).version).toBe(v);
  });

  // The same messages as validateMarketplaceConfig (packages/marketplace-core/src/validate-config.test.ts).
  const steps =
    'canaryRamp.steps must be 1 to 10 whole percentages between 1 and 100, increasing, the last 100';
  const hold = 'canaryRamp.holdMinutes must be a whole number of minutes between 1 and 10080';
  it.each([
    [{ ...RAMP, enabled: 'yes' }, 'canaryRamp.enabled must be true or false'],
    [{ ...RAMP, steps: [] }, steps],
    [{ ...RAMP, steps: [10, 50] }, steps],
    [{ ...RAMP, steps: [50, 10, 100] }, steps],
    [{ ...RAMP, steps: [10, 10, 100] }, steps],
    [{ ...RAMP, steps: [12.5, 100] }, steps],
    [{ ...RAMP, steps: [0, 100] }, steps],
    [{ ...RAMP, steps: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100] }, steps],
    [{ ...RAMP, steps: '10,100' }, steps],
    [{ ...RAMP, holdMinutes: 0 }, hold],
    [{ ...RAMP, holdMinutes: 10_081 }, hold],
    [{ ...RAMP, holdMinutes: 1.5 }, hold],
    ['on', 'canaryRamp must be an object'],
  ])('refuses canaryRamp %j with 22023 and the same message as TypeScript', async (canaryRamp, message) => {
    const before = await config();
    await expect(save({ ...canary, canaryRamp })).rejects.toMatchObject({
      code: '22023',
      message: `invalid marketplace_source: ${message}`,
    });
    expect(await config()).toEqual(before);
  });
});
