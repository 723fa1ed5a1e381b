import { AUTO_SWITCH_TARGETS, type AutoSwitchTarget } from '@cartae/marketplace-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/local-supabase/src/index.ts';
import {
  presetOf,
  SOURCE_PRESETS,
  withPreset,
} from '../../packages/plugin-admin/src/model/source-presets.ts';
import { asRole, BACKENDS, createUser, openBackend, type Role } from './support/backends.ts';
import { type StandInFixture, startStandInOn } from './support/stand-in.ts';
import {
  automationAction,
  awayFromMinuteEnd,
  currentMinute,
  ingest,
  isoMinute,
  outcome,
  usageRow,
} from './support/usage-rows.ts';

const GIT = 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json';
const CDN = 'https://marketplace.cartae.com';
const AUTO = { enabled: true, rateLimitedPercent: 70, windowMinutes: 10, target: 'cloudflare' };
/** On Git, switching to the CDN at 70 % over 10 minutes; with an unknown key that must survive. */
const base = {
  type: 'git',
  priority: ['git'],
  gitUrl: GIT,
  cloudflareUrl: CDN,
  canaryPercent: 100,
  healthCheckEnabled: true,
  healthCheckIntervalSeconds: 60,
  fallbackOnError: true,
  cacheTtlSeconds: 300,
  futureField: { kept: true },
  autoSwitch: AUTO,
};
const withAuto = (fields: Partial<typeof AUTO>) => ({ ...base, autoSwitch: { ...AUTO, ...fields } });
const preset = (id: AutoSwitchTarget) => SOURCE_PRESETS.find((p) => p.id === id)!;

interface Evaluation {
  action: 'switched' | 'none';
  reason?: string;
  from?: string;
  to?: string;
  version?: number;
  evidence?: Record<string, unknown>;
}

/**
 * Git usage in the minute `offset` minutes from `minute`: every rate-limited answer is an error.
 * `limitedInstalls` (rateLimitedInstalls) defaults to every install when any request was limited.
 */
const git = (
  minute: number,
  offset: number,
  installs: number,
  requests: number,
  limited: number,
  shard = 0,
  limitedInstalls = limited > 0 ? installs : 0,
) =>
  usageRow(isoMinute(minute, offset), {
    shard,
    installs,
    rateLimitedInstalls: limitedInstalls,
    reports: installs,
    requests,
    successes: requests - limited,
    errors: limited,
    rateLimited: limited,
  });

/**
 * The brief's example over the 10 complete minutes before `m`: 57 installs in the busiest minute
 * (two shards), 1,234 Git requests, 1,017 rate-limited (82.4 %). Around it, what must not count:
 * the CDN's rows, the minute before the window, and the minute still being counted.
 */
function fleetTraffic(m: number) {
  const rows = [git(m, -1, 30, 200, 170, 0), git(m, -1, 27, 134, 110, 1)];
  for (let offset = -2; offset >= -10; offset--) rows.push(git(m, offset, 40, 100, offset === -10 ? 81 : 82));
  rows.push(
    usageRow(isoMinute(m, -1), { source: 'cloudflare', installs: 500, requests: 9000, successes: 9000 }),
    git(m, -11, 900, 100_000, 0),
    git(m, 0, 900, 100_000, 0),
  );
  return rows;
}
const fleetEvidence = (m: number) => ({
  source: 'git',
  from: isoMinute(m, -10),
  to: isoMinute(m),
  windowMinutes: 10,
  installs: 57,
  requests: 1234,
  rateLimited: 1017,
  rateLimitedPercent: 82.4,
  // 57 + 9 × 40 installs over the window's minutes, each of them rate-limited.
  installMinutes: 417,
  rateLimitedInstallMinutes: 417,
  rateLimitedInstallsPercent: 100,
  thresholdPercent: 70,
  minInstalls: 20,
  minRequests: 100,
});
const FLEET_REASON =
  'auto-switch: Git rate-limited 82.4 % of 1,234 requests from 57 installs and 100.0 % of 417 install-minutes over 10 min ≥ 70 %';

describe.each(BACKENDS)('automatic switch on Git rate limits on %s', (backend) => {
  let db: Database;
  let close: () => Promise<void>;
  let adminId: string;
  let userId: string;
  /** The start of the current minute when the test began; evaluations run 30 s into it. */
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

  const evaluate = async (when?: number, role: Role = 'service_role', sub?: string): Promise<Evaluation> => {
    const { rows } = await asRole(db, role, sub, (tx) =>
      when === undefined
        ? tx.query<{ r: Evaluation }>('select public.evaluate_fleet_automation() as r')
        : tx.query<{ r: Evaluation }>('select public.evaluate_fleet_automation($1::timestamptz) as r', [
            new Date(when).toISOString(),
          ]),
    );
    return automationAction(rows[0]!.r);
  };
  const save = (doc: unknown, reason: string | null = 'test', role: Role = 'authenticated') =>
    asRole(db, role, role === 'authenticated' ? adminId : undefined, (tx) =>
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
        `select id, version::int, origin, reason, evidence, old_value, new_value, changed_by, changed_at
           from app_config_history order by id desc limit 1`,
      )
    ).rows[0]!;
  const autoSwitches = async () =>
    Number(
      (
        await db.query<{ n: string }>(
          `select count(*) as n from app_config_history where origin = 'auto-switch'`,
        )
      ).rows[0]?.n,
    );
  /** A clean slate: no usage, earlier automatic switches out of the cooldown, `doc` saved by an admin. */
  async function reset(doc: unknown) {
    await db.query('delete from usage_minutes');
    await db.query(
      `update app_config_history set changed_at = changed_at - interval '1 day' where origin = 'auto-switch'`,
    );
    await save(doc);
  }

  it.each([
    ['anon', 'anon', undefined, '42501'],
    ['authenticated (not admin)', 'authenticated', 'user', '42501'],
    ['admin', 'authenticated', 'admin', '42501'],
  ] as const)('%s may not evaluate (%s), and nothing switches', async (_name, role, who, code) => {
    await reset(base);
    await ingest(db, 'service_role', undefined, fleetTraffic(m));
    const before = await config();
    const sub = who === 'admin' ? adminId : who === 'user' ? userId : undefined;
    expect(await outcome(evaluate(at, role, sub))).toBe(code);
    expect(await config()).toEqual(before);
  });

  it('the service role may; the owner goes through marketplace_private (pg_cron), not the API function', async () => {
    await reset(base);
    await ingest(db, 'service_role', undefined, fleetTraffic(m));
    await expect(evaluate(at, 'anon')).rejects.toMatchObject({
      code: '42501',
      message: 'permission denied for function evaluate_fleet_automation',
    });
    await expect(db.query('select public.evaluate_fleet_automation()')).rejects.toMatchObject({
      code: '42501',
      message: 'only the service role may do this',
    });
    expect(await evaluate(at)).toMatchObject({ action: 'switched' });
    const { rows } = await db.query<{ r: Evaluation }>(
      'select marketplace_private.evaluate_fleet_automation($1::timestamptz) as r',
      [new Date(at).toISOString()],
    );
    expect(rows[0]?.r).toMatchObject({ action: 'none', reason: 'already on the target (cloudflare)' });
  });

  it.each([
    ['absent', (({ autoSwitch: _, ...doc }) => doc)(base)],
    ['disabled (the kill switch)', withAuto({ enabled: false })],
  ])('auto-switch %s: none, whatever the usage says', async (_name, doc) => {
    await reset(doc);
    await ingest(db, 'service_role', undefined, fleetTraffic(m));
    const before = await config();
    expect(await evaluate(at)).toEqual({ action: 'none', reason: 'auto-switch is off' });
    expect(await evaluate()).toEqual({ action: 'none', reason: 'auto-switch is off' });
    expect(await config()).toEqual(before);
  });

  it.each([
    [
      'a few installs sending huge counts (poisoning): 3 installs, 100 % rate-limited',
      (mm: number) => Array.from({ length: 10 }, (_, i) => git(mm, -1 - i, 3, 30_000, 30_000)),
      {
        installs: 3,
        requests: 300_000,
        rateLimited: 300_000,
        rateLimitedPercent: 100,
        installMinutes: 30,
        rateLimitedInstallMinutes: 30,
      },
      'not enough evidence: 3 installs and 300,000 Git requests over 10 min (at least 20 installs and 100 requests are needed)',
    ],
    [
      '19 installs in the busiest minute (190 summed over the window do not count as 190)',
      (mm: number) => Array.from({ length: 10 }, (_, i) => git(mm, -1 - i, 19, 100, 100)),
      {
        installs: 19,
        requests: 1000,
        rateLimited: 1000,
        rateLimitedPercent: 100,
        installMinutes: 190,
        rateLimitedInstallMinutes: 190,
      },
      'not enough evidence: 19 installs and 1,000 Git requests over 10 min (at least 20 installs and 100 requests are needed)',
    ],
    [
      '99 requests from 50 installs',
      (mm: number) => [git(mm, -1, 50, 99, 99)],
      {
        installs: 50,
        requests: 99,
        rateLimited: 99,
        rateLimitedPercent: 100,
        installMinutes: 50,
        rateLimitedInstallMinutes: 50,
      },
      'not enough evidence: 50 installs and 99 Git requests over 10 min (at least 20 installs and 100 requests are needed)',
    ],
    [
      '69.9 % rate-limited, under a 70 % threshold',
      (mm: number) => [git(mm, -1, 30, 1000, 699)],
      {
        installs: 30,
        requests: 1000,
        rateLimited: 699,
        rateLimitedPercent: 69.9,
        installMinutes: 30,
        rateLimitedInstallMinutes: 30,
      },
      'below the threshold: Git rate-limited 69.9 % of 1,000 requests over 10 min < 70 %',
    ],
    [
      'poisoning past the install guard: 20 honest installs see no 429, 20 fake reports claim 10,000 rate-limited requests each',
      (mm: number) => [git(mm, -1, 20, 200, 0, 0), git(mm, -1, 20, 200_000, 200_000, 1)],
      {
        installs: 40,
        requests: 200_200,
        rateLimited: 200_000,
        rateLimitedPercent: 99.9,
        installMinutes: 40,
        rateLimitedInstallMinutes: 20,
        rateLimitedInstallsPercent: 50,
      },
      'too few installs rate-limited: 50.0 % of 40 Git install-minutes over 10 min < 70 % (one vote per install, whatever its counts)',
    ],
    [
      'rows of older Workers (no rateLimitedInstalls): no install counts as rate-limited',
      (mm: number) => [{ ...git(mm, -1, 30, 1000, 900), rateLimitedInstalls: undefined }],
      {
        installs: 30,
        requests: 1000,
        rateLimited: 900,
        rateLimitedPercent: 90,
        installMinutes: 30,
        rateLimitedInstallMinutes: 0,
        rateLimitedInstallsPercent: 0,
      },
      'too few installs rate-limited: 0.0 % of 30 Git install-minutes over 10 min < 70 % (one vote per install, whatever its counts)',
    ],
  ])('%s: none, with the evidence', async (_name, rows, figures, reason) => {
    await reset(base);
    await ingest(db, 'service_role', undefined, rows(m));
    const before = await config();
    expect(await evaluate(at)).toEqual({
      action: 'none',
      reason,
      evidence: { ...fleetEvidence(m), ...figures },
    });
    expect(await config()).toEqual(before);
  });

  it('no rate-limited request: none, even with a threshold of 0 %', async () => {
    await reset(withAuto({ rateLimitedPercent: 0 }));
    await ingest(db, 'service_role', undefined, [git(m, -1, 30, 1000, 0)]);
    expect(await evaluate(at)).toMatchObject({
      action: 'none',
      reason: 'no Git request was rate-limited over 10 min',
    });
  });

  it('an honest episode, most installs rate-limited: switches, with both shares in the evidence', async () => {
    await reset(base);
    // 40 installs a minute, 30 of them rate-limited (75 %), 85 of 100 requests limited.
    await ingest(
      db,
      'service_role',
      undefined,
      Array.from({ length: 10 }, (_, i) => git(m, -1 - i, 40, 100, 85, i % 3, 30)),
    );
    expect(await evaluate(at)).toMatchObject({
      action: 'switched',
      evidence: {
        installs: 40,
        requests: 1000,
        rateLimited: 850,
        rateLimitedPercent: 85,
        installMinutes: 400,
        rateLimitedInstallMinutes: 300,
        rateLimitedInstallsPercent: 75,
      },
    });
    expect(await lastHistory()).toMatchObject({
      origin: 'auto-switch',
      reason:
        'auto-switch: Git rate-limited 85.0 % of 1,000 requests from 40 installs and 75.0 % of 400 install-minutes over 10 min ≥ 70 %',
    });
  });

  it('at the threshold with exactly the minimum evidence: switches', async () => {
    await reset(base);
    // 20 installs in one minute (two shards), 100 requests, 70 rate-limited: 70 % ≥ 70 %.
    await ingest(db, 'service_role', undefined, [git(m, -3, 12, 60, 42, 0), git(m, -3, 8, 40, 28, 5)]);
    expect(await evaluate(at)).toMatchObject({
      action: 'switched',
      evidence: {
        installs: 20,
        requests: 100,
        rateLimited: 70,
        rateLimitedPercent: 70,
        installMinutes: 20,
        rateLimitedInstallMinutes: 20,
      },
    });
  });

  it('over the threshold: switches once to the target, origin auto-switch with reason and evidence; every other field kept', async () => {
    await reset(base);
    await ingest(db, 'service_role', undefined, fleetTraffic(m));
    const before = await config();
    expect(await evaluate(at)).toEqual({
      action: 'switched',
      from: 'git',
      to: 'cloudflare',
      version: before.version + 1,
      evidence: fleetEvidence(m),
    });
    const after = await config();
    expect(after).toEqual({
      doc: { ...base, type: 'cloudflare', priority: ['cloudflare'] },
      version: before.version + 1,
    });
    expect(await lastHistory()).toMatchObject({
      version: before.version + 1,
      origin: 'auto-switch',
      reason: FLEET_REASON,
      evidence: fleetEvidence(m),
      old_value: base,
      new_value: after.doc,
      changed_by: null,
    });
    // The admin panel's reader returns the evidence too.
    const { rows } = await asRole(db, 'authenticated', adminId, (tx) =>
      tx.query<Record<string, unknown>>(
        `select * from public.get_app_config_history('marketplace_source', 1)`,
      ),
    );
    expect(rows[0]).toMatchObject({
      origin: 'auto-switch',
      reason: FLEET_REASON,
      evidence: fleetEvidence(m),
    });

    // Right after, with Git still as limited: nothing more.
    expect(await evaluate(at)).toEqual({
      action: 'none',
      reason: 'already on the target (cloudflare)',
      evidence: fleetEvidence(m),
    });
    expect(await config()).toEqual(after);
  });

  it('cooldown: an admin switches back to Git, Git is still limited; it waits an hour, then switches again', async () => {
    await reset(base);
    await ingest(db, 'service_role', undefined, fleetTraffic(m));
    expect(await evaluate(at)).toMatchObject({ action: 'switched' });
    const first = await lastHistory();
    await save(base, 'back to Git');
    const back = await config();
    expect(back.doc).toEqual(base);

    const cooling = await evaluate(at);
    const last = first.changed_at as Date;
    expect(cooling).toEqual({
      action: 'none',
      reason: `cooling down until ${new Date(last.getTime() + 3_600_000).toISOString()} (last automatic switch at ${last.toISOString()})`,
      evidence: fleetEvidence(m),
    });
    // One second before the cooldown ends, on the evaluation's clock (judged 30 s back, when every
    // complete minute has been delivered): still waiting.
    const judged = at - 30_000;
    const backdate = (ms: number) =>
      db.query('update app_config_history set changed_at = $1 where id = $2', [new Date(ms), first.id]);
    await backdate(judged - 3_600_000 + 1_000);
    expect(await evaluate(at)).toMatchObject({
      action: 'none',
      reason: expect.stringMatching(/^cooling down until /),
    });
    expect(await config()).toEqual(back);

    await backdate(judged - 3_600_000);
    const autos = await autoSwitches();
    expect(await evaluate(at)).toMatchObject({
      action: 'switched',
      from: 'git',
      to: 'cloudflare',
      version: back.version + 1,
    });
    expect(await autoSwitches()).toBe(autos + 1);
    expect(await lastHistory()).toMatchObject({ origin: 'auto-switch', reason: FLEET_REASON });
  });

  const targets: [AutoSwitchTarget, AutoSwitchTarget][] = [
    ['hybrid-git-first', 'git'],
    ['hybrid-git-first', 'hybrid-cdn-first'],
    ['hybrid-cdn-first', 'git'],
    ['cloudflare', 'hybrid-git-first'],
    ['git', 'cloudflare'],
  ];
  it.each(targets)('target %s, from %s: the document the admin preset would write', async (target, start) => {
    const startDoc = withPreset(withAuto({ target }), preset(start));
    await reset(startDoc);
    await ingest(db, 'service_role', undefined, fleetTraffic(m));
    expect(await evaluate(at)).toMatchObject({ action: 'switched', from: start, to: target });
    const { doc } = await config();
    expect(doc).toEqual(withPreset(startDoc, preset(target)));
    expect(presetOf(doc)?.id).toBe(target);
  });

  it('every target the core knows is a switch the admin panel offers', () => {
    expect([...AUTO_SWITCH_TARGETS].sort()).toEqual(SOURCE_PRESETS.map((p) => p.id).sort());
  });

  it('a hybrid without priority is CDN first, as the admin panel reads it', async () => {
    const { priority: _, ...hybrid } = { ...base, type: 'hybrid' };
    await reset({ ...hybrid, autoSwitch: { ...AUTO, target: 'hybrid-cdn-first' } });
    await ingest(db, 'service_role', undefined, fleetTraffic(m));
    expect(await evaluate(at)).toMatchObject({
      action: 'none',
      reason: 'already on the target (hybrid-cdn-first)',
    });
    await save({ ...hybrid, autoSwitch: { ...AUTO, target: 'hybrid-git-first' } });
    expect(await evaluate(at)).toMatchObject({ action: 'switched', from: 'hybrid-cdn-first' });
    expect((await config()).doc).toMatchObject({ type: 'hybrid', priority: ['git', 'cloudflare'] });
  });

  it('a target the document cannot take (no CDN URL): none, saying why, every time', async () => {
    const { cloudflareUrl: _, ...gitOnly } = base;
    await reset(gitOnly);
    await ingest(db, 'service_role', undefined, fleetTraffic(m));
    const before = await config();
    const history = await lastHistory();
    for (let i = 0; i < 2; i++) {
      expect(await evaluate(at)).toEqual({
        action: 'none',
        reason:
          'cannot switch to cloudflare: invalid marketplace_source: cloudflareUrl is required when type is "cloudflare"',
        evidence: fleetEvidence(m),
      });
    }
    expect(await config()).toEqual(before);
    expect((await lastHistory()).id).toBe(history.id);
  });

  it('only delivered minutes count: the minute being counted, and the one whose reports still arrive, are left out', async () => {
    await awayFromMinuteEnd(10_000);
    const now = await currentMinute(db);
    await reset(base);
    // Plenty of evidence, all of it in the current minute.
    await ingest(db, 'service_role', undefined, [git(now, 0, 30, 500, 500)]);
    expect(await evaluate(now + 30_000)).toMatchObject({
      action: 'none',
      evidence: { from: isoMinute(now, -10), to: isoMinute(now), installs: 0, requests: 0 },
    });
    // Over, but its reports ride on polls up to 30 s later (the Worker delivers it at +90 s): not yet.
    expect(await evaluate(now + 61_000)).toMatchObject({
      action: 'none',
      evidence: { from: isoMinute(now, -10), to: isoMinute(now), installs: 0, requests: 0 },
    });
    // Delivered: it counts.
    expect(await evaluate(now + 90_000)).toMatchObject({
      action: 'switched',
      evidence: { from: isoMinute(now, -9), to: isoMinute(now, 1), installs: 30, requests: 500 },
    });
  });

  it('concurrent evaluations switch once', async () => {
    await reset(base);
    await ingest(db, 'service_role', undefined, fleetTraffic(m));
    const before = await config();
    const autos = await autoSwitches();
    const results = await Promise.all(Array.from({ length: 5 }, () => evaluate(at)));
    expect(results.filter((r) => r.action === 'switched')).toHaveLength(1);
    expect(results.filter((r) => r.action === 'none').map((r) => r.reason)).toEqual(
      Array(4).fill('already on the target (cloudflare)'),
    );
    expect((await config()).version).toBe(before.version + 1);
    expect(await autoSwitches()).toBe(autos + 1);
  });

  it.each([
    ['an admin', 'authenticated'],
    ['the service role', 'service_role'],
  ] as const)(
    '%s saving with a reason "auto-switch…" is recorded as origin admin, without evidence',
    async (_n, role) => {
      await reset(base);
      const autos = await autoSwitches();
      await save(
        { ...base, type: 'cloudflare', priority: ['cloudflare'] },
        'auto-switch: Git rate-limited 99 %',
        role,
      );
      expect(await lastHistory()).toMatchObject({
        origin: 'admin',
        reason: 'auto-switch: Git rate-limited 99 %',
        evidence: null,
        changed_by: role === 'authenticated' ? adminId : null,
      });
      expect(await autoSwitches()).toBe(autos);
    },
  );
});

describe.each(BACKENDS)('evaluate_fleet_automation through supabase-js and the stand-in on %s', (backend) => {
  let f: StandInFixture;
  beforeAll(async () => {
    f = await startStandInOn(backend);
    await f.standIn.createUser({ email: 'admin@cartae.test', password: 'admin-password', admin: true });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('the Worker calls it with the service role key; anon gets 401, an admin 403', async () => {
    const worker = f.client({ key: f.standIn.serviceRoleKey });
    const evaluated = await worker.rpc('evaluate_fleet_automation');
    expect(evaluated.error).toBeNull();
    // The seeded config has no autoSwitch.
    expect(automationAction(evaluated.data)).toEqual({ action: 'none', reason: 'auto-switch is off' });

    const anon = await f.client().rpc('evaluate_fleet_automation');
    expect(anon.status).toBe(401);
    expect(anon.error?.code).toBe('42501');

    const admin = f.client();
    expect(
      (await admin.auth.signInWithPassword({ email: 'admin@cartae.test', password: 'admin-password' })).error,
    ).toBeNull();
    expect((await admin.rpc('evaluate_fleet_automation')).status).toBe(403);
  });
});
