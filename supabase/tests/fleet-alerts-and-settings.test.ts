import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/local-supabase/src/index.ts';
import { asRole, BACKENDS, createUser, openBackend, type Role } from './support/backends.ts';
import { currentMinute, ingest, isoMinute, outcome, usageRow } from './support/usage-rows.ts';

const GIT = 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json';
const CDN = 'https://marketplace.cartae.com';
const SLACK = 'https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXX';

interface Settings {
  automationPaused: boolean;
  webhookUrl: string | null;
  webhookSecretSet: boolean;
  sourceAlert: { errorPercent: number; windowMinutes: number };
  updatedAt: string | null;
  updatedByEmail: string | null;
}
interface Alert {
  id: string | number;
  event: string;
  text: string;
  details: Record<string, unknown>;
}
interface Evaluation {
  action: string;
  reason?: string;
  paused?: boolean;
  sourceHealth: Record<string, unknown>[];
  alertWebhook: { url: string; secret: string | null } | null;
}

describe.each(BACKENDS)('fleet alerts and settings on %s', (backend) => {
  let db: Database;
  let close: () => Promise<void>;
  let adminId: string;
  let userId: string;

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
    await db.exec(`delete from public.fleet_alerts;
      delete from marketplace_private.fleet_source_health;
      update marketplace_private.fleet_settings set automation_paused = false, webhook_url = null,
        webhook_secret = null, source_alert_error_percent = 20, source_alert_window_minutes = 5;`);
  });

  const call = async <T>(role: Role, sub: string | undefined, sql: string, args: unknown[] = []) => {
    const { rows } = await asRole(db, role, sub, (tx) => tx.query<{ r: T }>(sql, args));
    return rows[0]!.r;
  };
  const settings = (role: Role = 'authenticated', sub: string | undefined = adminId) =>
    call<Settings>(role, sub, 'select public.get_fleet_settings() as r');
  const update = (changes: unknown, role: Role = 'authenticated', sub: string | undefined = adminId) =>
    call<Settings>(role, sub, 'select public.update_fleet_settings($1::jsonb) as r', [
      JSON.stringify(changes),
    ]);
  const alerts = async (limit = 50) => {
    const { rows } = await asRole(db, 'authenticated', adminId, (tx) =>
      tx.query<Alert>('select * from public.get_fleet_alerts($1)', [limit]),
    );
    return rows;
  };
  const record = (alert: unknown, role: Role = 'service_role', sub?: string) =>
    call<string>(role, sub, 'select public.record_fleet_alert($1::jsonb) as r', [JSON.stringify(alert)]);
  const evaluate = (when: number) =>
    call<Evaluation>(
      'service_role',
      undefined,
      'select public.evaluate_fleet_automation($1::timestamptz) as r',
      [new Date(when).toISOString()],
    );

  it('starts with the automation running, no webhook, and the 20 % / 5 min source rule', async () => {
    expect(await settings()).toMatchObject({
      automationPaused: false,
      webhookUrl: null,
      webhookSecretSet: false,
      sourceAlert: { errorPercent: 20, windowMinutes: 5 },
    });
  });

  it('an admin sets the webhook: shown back as scheme and host only, the secret never', async () => {
    const after = await update({ webhookUrl: SLACK, webhookSecret: 's3cret-s3cret-s3cret' });
    expect(after.webhookUrl).toBe('https://hooks.slack.com/…');
    expect(after.webhookSecretSet).toBe(true);
    expect(JSON.stringify(after)).not.toContain('s3cret');
    expect(JSON.stringify(after)).not.toContain('XXXX');
    const feed = await alerts();
    expect(feed).toHaveLength(1);
    expect(feed[0]).toMatchObject({ event: 'settings-changed' });
    expect(feed[0]!.text).toBe(
      'ada@cartae.dev set the alert webhook to https://hooks.slack.com/…; changed the webhook secret',
    );
    expect(JSON.stringify(feed)).not.toContain('s3cret');
  });

  it('a change that changes nothing writes nothing to the feed', async () => {
    await update({ automationPaused: true });
    await update({ automationPaused: true });
    await update({});
    expect((await alerts()).map((a) => a.text)).toEqual([
      'ada@cartae.dev paused the fleet automation (no automatic switch, rollback or promotion until resumed)',
    ]);
  });

  it.each([
    [
      { webhookUrl: 'http://hooks.example.com/x' },
      'webhookUrl must use https (http is only accepted for localhost)',
    ],
    [{ webhookUrl: 'https://user:pw@hooks.example.com/x' }, 'webhookUrl must not contain credentials'],
    [{ webhookUrl: 42 }, 'webhookUrl must be a URL or null'],
    [{ webhookSecret: 'short' }, 'webhookSecret must be 16 to 256 characters'],
    [{ automationPaused: 'yes' }, 'automationPaused must be true or false'],
    [{ sourceAlert: { errorPercent: 0 } }, 'sourceAlert.errorPercent must be a number between 1 and 100'],
    [
      { sourceAlert: { windowMinutes: 61 } },
      'sourceAlert.windowMinutes must be a whole number of minutes between 1 and 60',
    ],
    [{ sourceAlert: { windowMinutes: 2.5 } }, 'sourceAlert.windowMinutes must be a whole number'],
    [{ sourceAlert: { extra: 1 } }, 'sourceAlert.extra is not a setting'],
    [{ webhookURL: SLACK }, 'webhookURL is not a setting'],
  ])('refuses %j with 22023 naming the field, and changes nothing', async (changes, message) => {
    await expect(update({ automationPaused: true, ...changes })).rejects.toMatchObject({
      code: '22023',
      message: expect.stringContaining(`invalid fleet settings: ${message}`),
    });
    expect((await settings()).automationPaused).toBe(false);
    expect(await alerts()).toHaveLength(0);
  });

  it.each([
    ['anon', 'anon', undefined],
    ['a signed-in user who is not an admin', 'authenticated', 'user'],
  ] as const)(
    '%s may neither read nor change the settings nor read the feed (42501)',
    async (_n, role, who) => {
      const sub = who === 'user' ? userId : undefined;
      expect(await outcome(settings(role, sub))).toBe('42501');
      expect(await outcome(update({ automationPaused: true }, role, sub))).toBe('42501');
      expect(
        await outcome(asRole(db, role, sub, (tx) => tx.query('select * from public.get_fleet_alerts()'))),
      ).toBe('42501');
      expect(
        await outcome(asRole(db, role, sub, (tx) => tx.query('select * from public.fleet_alerts'))),
      ).toBe('42501');
      expect(await outcome(record({ event: 'mirror-failing', text: 'x' }, role, sub))).toBe('42501');
      expect((await settings()).automationPaused).toBe(false);
    },
  );

  it('an admin may not record alerts; only the service role (the Worker) may', async () => {
    expect(await outcome(record({ event: 'mirror-failing', text: 'fake' }, 'authenticated', adminId))).toBe(
      '42501',
    );
    await record({
      event: 'mirror-failing',
      text: 'Mirror failing: Git answered 503',
      details: { status: 503 },
    });
    expect(await alerts()).toMatchObject([
      { event: 'mirror-failing', text: 'Mirror failing: Git answered 503', details: { status: 503 } },
    ]);
  });

  it.each([
    [{ event: 'settings-changed', text: 'x' }, 'event must be one the Worker sends'],
    [{ event: 'nope', text: 'x' }, 'event must be one the Worker sends'],
    [{ event: 'mirror-failing', text: '' }, 'text must be 1 to 1000 characters'],
    [{ event: 'mirror-failing', text: 'x'.repeat(1001) }, 'text must be 1 to 1000 characters'],
    [{ event: 'mirror-failing', text: 'x', details: [1] }, 'details must be an object'],
    [{ event: 'mirror-failing', text: 'x', details: { big: 'y'.repeat(17_000) } }, 'at most 16 KB'],
  ])('refuses the alert %# with 22023', async (alert, message) => {
    await expect(record(alert)).rejects.toMatchObject({
      code: '22023',
      message: expect.stringContaining(message),
    });
    expect(await alerts()).toHaveLength(0);
  });

  it('a Worker clock far off does not reorder the feed: its time is replaced by now', async () => {
    await record({ event: 'mirror-failing', text: 'old', at: '2001-01-01T00:00:00.000Z' });
    const { rows } = await db.query<{ recent: boolean }>(
      `select abs(extract(epoch from at - now())) < 60 as recent from public.fleet_alerts`,
    );
    expect(rows[0]?.recent).toBe(true);
  });

  it('the feed is newest first, paged, and forgets entries older than 90 days', async () => {
    for (const n of [1, 2, 3]) await record({ event: 'mirror-failing', text: `alert ${n}` });
    await db.exec(`update public.fleet_alerts set at = now() - interval '91 days' where text = 'alert 1'`);
    await record({ event: 'mirror-recovered', text: 'alert 4' });
    const feed = await alerts();
    expect(feed.map((a) => a.text)).toEqual(['alert 4', 'alert 3', 'alert 2']);
    const { rows } = await asRole(db, 'authenticated', adminId, (tx) =>
      tx.query<Alert>('select * from public.get_fleet_alerts(1, $1)', [feed[0]!.id]),
    );
    expect(rows.map((a) => a.text)).toEqual(['alert 3']);
  });

  describe('evaluate_fleet_automation', () => {
    let m: number;
    beforeEach(async () => {
      m = await currentMinute(db);
      await db.exec('delete from public.usage_minutes');
      await asRole(db, 'authenticated', adminId, (tx) =>
        tx.query(`select public.update_app_config('marketplace_source', $1, 'test')`, [
          JSON.stringify({
            type: 'git',
            priority: ['git'],
            gitUrl: GIT,
            cloudflareUrl: CDN,
            autoSwitch: { enabled: true, rateLimitedPercent: 50, windowMinutes: 5, target: 'cloudflare' },
            rolloutGuard: { enabled: false, errorPercent: 5, windowMinutes: 10 },
          }),
        ]),
      );
    });
    /** Git usage in each of the 5 minutes before `m`: `errors` of 200 requests, all rate limits. */
    const gitMinutes = (errors: number, shard = 0) =>
      Array.from({ length: 5 }, (_, i) =>
        usageRow(isoMinute(m, -1 - i), {
          source: 'git',
          shard,
          installs: 40,
          reports: 40,
          requests: 200,
          successes: 200 - errors,
          errors,
          rateLimited: errors,
          rateLimitedInstalls: errors > 0 ? 40 : 0,
        }),
      );
    const configVersion = async () =>
      Number(
        (
          await db.query<{ v: string }>(
            `select version as v from app_config where config_key = 'marketplace_source'`,
          )
        ).rows[0]!.v,
      );

    it('paused: takes no action, says so and by whom; the source health alert still comes', async () => {
      await update({ automationPaused: true });
      await ingest(db, 'service_role', undefined, gitMinutes(180));
      const before = await configVersion();
      const answer = await evaluate(m + 30_000);
      expect(answer).toMatchObject({ action: 'none', paused: true });
      expect(answer.reason).toMatch(/^the fleet automation is paused by ada@cartae\.dev since \d{4}-/);
      expect(await configVersion()).toBe(before);
      expect(answer.sourceHealth).toEqual([
        expect.objectContaining({
          source: 'git',
          state: 'unhealthy',
          errorPercent: 90,
          thresholdPercent: 20,
        }),
      ]);
      // Resumed: the switch it held back happens at the next evaluation.
      await update({ automationPaused: false });
      expect((await evaluate(m + 30_000)).action).toBe('switched');
    });

    it('source health: one change per transition, none while unchanged, none without evidence', async () => {
      await ingest(db, 'service_role', undefined, gitMinutes(100));
      const first = await evaluate(m + 30_000);
      expect(first.sourceHealth).toEqual([
        {
          source: 'git',
          state: 'unhealthy',
          errorPercent: 50,
          errors: 500,
          requests: 1000,
          installs: 40,
          windowMinutes: 5,
          thresholdPercent: 20,
          from: isoMinute(m, -5),
          to: isoMinute(m),
        },
      ]);
      expect((await evaluate(m + 40_000)).sourceHealth).toEqual([]);
      // A minute later the window holds only four of those minutes plus a healthy one.
      await ingest(db, 'service_role', undefined, [
        usageRow(isoMinute(m, 0), {
          source: 'git',
          installs: 40,
          reports: 40,
          requests: 10_000,
          successes: 10_000,
        }),
      ]);
      expect((await evaluate(m + 60_000 + 30_000)).sourceHealth).toEqual([
        expect.objectContaining({ source: 'git', state: 'healthy', errorPercent: 3.7 }),
      ]);
      // No traffic at all later: not evidence of anything, so no change.
      expect((await evaluate(m + 30 * 60_000)).sourceHealth).toEqual([]);
    });

    it('answers the webhook from the settings, with its secret, for the Worker only', async () => {
      expect((await evaluate(m)).alertWebhook).toBeNull();
      await update({ webhookUrl: SLACK, webhookSecret: 's3cret-s3cret-s3cret' });
      expect((await evaluate(m)).alertWebhook).toEqual({ url: SLACK, secret: 's3cret-s3cret-s3cret' });
      await update({ webhookSecret: null });
      expect((await evaluate(m)).alertWebhook).toEqual({ url: SLACK, secret: null });
    });
  });
});
