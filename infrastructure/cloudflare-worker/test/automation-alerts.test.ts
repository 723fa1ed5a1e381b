import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { MIRROR_ALERT_KEY } from '../src/alerts/mirror-alert-memory.ts';
import { readMirrorStatus, writeMirrorStatus } from '../src/registry/mirror-status.ts';
import {
  GIT_SCENARIOS,
  type RecordedWebhookCall,
  SUPABASE_TEST_SERVICE_ROLE_KEY,
} from './support/scenarios.ts';
import {
  gitUrl,
  recordingWebhook,
  request,
  resetWorkerState,
  runMinute,
  scriptedAutomation,
} from './support/worker-harness.ts';

beforeEach(resetWorkerState);

const SECRET = 'test-alert-secret';

const SWITCHED = {
  status: 200,
  body: {
    action: 'switched',
    from: 'git',
    to: 'hybrid-cdn-first',
    version: 8,
    evidence: {
      source: 'git',
      windowMinutes: 10,
      installs: 57,
      requests: 1234,
      rateLimited: 1017,
      rateLimitedPercent: 82.4,
      thresholdPercent: 70,
    },
  },
};

/** What a receiver does (README.md, "Verifying a signature"): HMAC of `${timestamp}.${body}`, 5-minute tolerance. */
async function verifies(secret: string, call: RecordedWebhookCall): Promise<boolean> {
  const timestamp = call.headers['x-cartae-timestamp'] ?? '';
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(
    await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${timestamp}.${call.body}`)),
  );
  const expected = `sha256=${Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  return call.headers['x-cartae-signature'] === expected;
}

const events = (calls: RecordedWebhookCall[]) => calls.map((call) => JSON.parse(call.body).event);

describe('the once-a-minute Cron Trigger: fleet automation', () => {
  it('calls evaluate_fleet_automation once per run, with the service role key and an empty body', async () => {
    const automation = await scriptedAutomation();
    await runMinute(1, { SUPABASE_URL: automation.url });
    const calls = await automation.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.headers.apikey).toBe(SUPABASE_TEST_SERVICE_ROLE_KEY);
    expect(calls[0]?.headers.authorization).toBe(`Bearer ${SUPABASE_TEST_SERVICE_ROLE_KEY}`);
    expect(calls[0]?.body).toBe('{}');
    expect(calls[0]?.status).toBe(200);
  });

  it('without the service role key, makes no call and /health says so', async () => {
    const automation = await scriptedAutomation();
    const settings = { SUPABASE_URL: automation.url, SUPABASE_SERVICE_ROLE_KEY: '' };
    await runMinute(1, settings);
    expect(await automation.calls()).toHaveLength(0);
    const body = (await (await request('/health', {}, settings)).json()) as {
      automation: { evaluation: { state: string; message: string } };
    };
    expect(body.automation.evaluation).toEqual({
      state: 'disabled',
      message: 'automation disabled: SUPABASE_SERVICE_ROLE_KEY is not set',
    });
  });

  it('switched: exactly one signed webhook POST whose text names from, to and the share', async () => {
    const automation = await scriptedAutomation(SWITCHED);
    const webhook = await recordingWebhook();
    await runMinute(1, {
      SUPABASE_URL: automation.url,
      ALERT_WEBHOOK_URL: webhook.url,
      ALERT_WEBHOOK_SECRET: SECRET,
    });
    const calls = await webhook.deliveries();
    expect(calls).toHaveLength(1);
    const call = calls[0] as RecordedWebhookCall;
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers['x-cartae-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(await verifies(SECRET, call)).toBe(true);
    expect(await verifies('another-secret', call)).toBe(false);
    const alert = JSON.parse(call.body);
    expect(alert).toMatchObject({
      event: 'auto-switch',
      details: { from: 'git', to: 'hybrid-cdn-first', version: 8, evidence: { rateLimitedPercent: 82.4 } },
    });
    expect(alert.text).toBe(
      'Cartae fleet switched automatically from git to hybrid-cdn-first (config version 8): ' +
        'Git rate-limited 82.4 % of 1,234 requests from 57 installs over 10 min (threshold 70 %)',
    );
    expect(Math.abs(Date.parse(alert.at) - Date.now())).toBeLessThan(60_000);
  });

  it('rolled-back: exactly one signed webhook POST, event auto-rollback, saying why', async () => {
    const automation = await scriptedAutomation({
      status: 200,
      body: {
        action: 'rolled-back',
        from: 15,
        to: 16,
        restored: 14,
        reason: 'auto-rollback: …',
        evidence: {
          sources: ['cloudflare'],
          windowMinutes: 10,
          installs: 57,
          requests: 4567,
          errors: 562,
          errorPercent: 12.3,
          guardPercent: 5,
        },
      },
    });
    const webhook = await recordingWebhook();
    await runMinute(1, {
      SUPABASE_URL: automation.url,
      ALERT_WEBHOOK_URL: webhook.url,
      ALERT_WEBHOOK_SECRET: SECRET,
    });
    const calls = await webhook.deliveries();
    expect(calls).toHaveLength(1);
    const call = calls[0] as RecordedWebhookCall;
    expect(await verifies(SECRET, call)).toBe(true);
    const alert = JSON.parse(call.body);
    expect(alert).toMatchObject({
      event: 'auto-rollback',
      details: { from: 15, to: 16, restored: 14, evidence: { errorPercent: 12.3 } },
    });
    expect(alert.text).toBe(
      "Cartae rolled back config v15 to v14's content as v16: CDN errors 12.3 % of 4,567 requests over 10 min > 5 %",
    );
  });

  it('none: no webhook POST', async () => {
    const automation = await scriptedAutomation({
      status: 200,
      body: { action: 'none', reason: 'below the threshold: 12.0 %', evidence: { requests: 500 } },
    });
    const webhook = await recordingWebhook();
    await runMinute(1, { SUPABASE_URL: automation.url, ALERT_WEBHOOK_URL: webhook.url });
    expect(await automation.calls()).toHaveLength(1);
    expect(await webhook.deliveries()).toHaveLength(0);
  });

  it('a webhook answering 500 then 200 gets two deliveries, the second accepted', async () => {
    const automation = await scriptedAutomation(SWITCHED);
    const webhook = await recordingWebhook([500]);
    const started = Date.now();
    await runMinute(1, {
      SUPABASE_URL: automation.url,
      ALERT_WEBHOOK_URL: webhook.url,
      ALERT_WEBHOOK_SECRET: SECRET,
    });
    const calls = await webhook.deliveries();
    expect(calls.map((call) => call.status)).toEqual([500, 200]);
    expect(calls[1]?.body).toBe(calls[0]?.body);
    expect(await verifies(SECRET, calls[1] as RecordedWebhookCall)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900); // the 2 s backoff
  });

  it('a webhook answering 400 is not tried again', async () => {
    const automation = await scriptedAutomation(SWITCHED);
    const webhook = await recordingWebhook([400]);
    await runMinute(1, { SUPABASE_URL: automation.url, ALERT_WEBHOOK_URL: webhook.url });
    const calls = await webhook.deliveries();
    expect(calls.map((call) => call.status)).toEqual([400]);
    // Unsigned without a secret, the timestamp is still sent.
    expect(calls[0]?.headers['x-cartae-signature']).toBeUndefined();
    expect(calls[0]?.headers['x-cartae-timestamp']).toMatch(/^\d{10}$/);
  });

  it('never fetches a webhook URL that fails the URL policy, and says so on /health', async () => {
    const automation = await scriptedAutomation(SWITCHED);
    const webhook = await recordingWebhook();
    const refused = webhook.url.replace('http://', 'http://user:password@');
    const settings = {
      SUPABASE_URL: automation.url,
      ALERT_WEBHOOK_URL: refused,
      REGISTRY_GIT_URL: gitUrl(GIT_SCENARIOS.serverError),
    };
    await runMinute(0, settings); // both an automatic switch and a failing mirror are due
    expect(await automation.calls()).toHaveLength(1);
    expect((await readMirrorStatus(env.REGISTRY_KV))?.lastResult).toBe('failed');
    expect(await webhook.deliveries()).toHaveLength(0);
    const body = (await (await request('/health', {}, settings)).json()) as {
      automation: { alerts: { state: string; message: string } };
    };
    expect(body.automation.alerts.state).toBe('refused');
    expect(body.automation.alerts.message).toBe(
      'ALERT_WEBHOOK_URL must not contain credentials; alerts are off',
    );
  });

  it('a failing or unreachable evaluation endpoint does not break the mirror, and is tried next minute', async () => {
    const automation = await scriptedAutomation({ status: 500, body: { message: 'control plane is down' } });
    await expect(runMinute(0, { SUPABASE_URL: automation.url })).resolves.toBeUndefined();
    expect((await readMirrorStatus(env.REGISTRY_KV))?.lastResult).toBe('updated');
    await runMinute(1, { SUPABASE_URL: automation.url });
    expect(await automation.calls()).toHaveLength(2);
    await expect(runMinute(5, { SUPABASE_URL: 'http://127.0.0.1:9/nothing' })).resolves.toBeUndefined();
    expect((await readMirrorStatus(env.REGISTRY_KV))?.lastResult).toBe('not-modified');
  });
});

describe('the once-a-minute Cron Trigger: the Git mirror and its alerts', () => {
  it('mirrors Git only on the 5-minute marks, and evaluates every minute', async () => {
    const automation = await scriptedAutomation();
    for (const minute of [1, 2, 3, 4]) await runMinute(minute, { SUPABASE_URL: automation.url });
    expect(await readMirrorStatus(env.REGISTRY_KV)).toBeUndefined();
    await runMinute(5, { SUPABASE_URL: automation.url });
    expect((await readMirrorStatus(env.REGISTRY_KV))?.lastResult).toBe('updated');
    expect(await automation.calls()).toHaveLength(5);
  });

  it('alerts once when the mirror turns failing, not on the next failing run, and once on recovery', async () => {
    const webhook = await recordingWebhook();
    const failing = { ALERT_WEBHOOK_URL: webhook.url, REGISTRY_GIT_URL: gitUrl(GIT_SCENARIOS.serverError) };
    await runMinute(0, { ALERT_WEBHOOK_URL: webhook.url });
    expect(await webhook.deliveries()).toHaveLength(0); // healthy from the start: nothing to say
    await runMinute(5, failing);
    expect(events(await webhook.deliveries())).toEqual(['mirror-failing']);
    const first = JSON.parse((await webhook.deliveries())[0]?.body ?? '{}');
    expect(first.text).toContain('Cartae registry mirror failing (failed): Git answered HTTP 500');
    expect(first.details).toMatchObject({
      condition: 'failing',
      lastResult: 'failed',
      consecutiveFailures: 1,
    });
    await runMinute(6, failing);
    await runMinute(10, failing);
    expect(events(await webhook.deliveries())).toEqual(['mirror-failing']);
    await runMinute(15, { ALERT_WEBHOOK_URL: webhook.url });
    expect(events(await webhook.deliveries())).toEqual(['mirror-failing', 'mirror-recovered']);
    expect(await env.REGISTRY_KV.get(MIRROR_ALERT_KEY, 'text')).toBeNull();
    await runMinute(16, { ALERT_WEBHOOK_URL: webhook.url });
    expect(await webhook.deliveries()).toHaveLength(2);
  });

  it('alerts when the mirror is stale: its last healthy run is more than 15 minutes old', async () => {
    const webhook = await recordingWebhook();
    const longAgo = Date.now() - 20 * 60_000;
    await writeMirrorStatus(env.REGISTRY_KV, {
      lastAttemptAt: longAgo,
      lastResult: 'not-modified',
      lastMessage: 'Git answered 304 Not Modified',
      lastSuccessAt: longAgo,
      consecutiveFailures: 0,
      version: 2,
    });
    await runMinute(1, { ALERT_WEBHOOK_URL: webhook.url });
    const calls = await webhook.deliveries();
    expect(events(calls)).toEqual(['mirror-failing']);
    expect(JSON.parse(calls[0]?.body ?? '{}').text).toMatch(/^Cartae registry mirror stale: no run since /);
  });

  it('with no webhook, mirror alerts still reach the feed, and /health says where alerts go', async () => {
    const automation = await scriptedAutomation();
    await runMinute(0, { SUPABASE_URL: automation.url, REGISTRY_GIT_URL: gitUrl(GIT_SCENARIOS.serverError) });
    expect((await automation.feed()).map((alert) => alert.event)).toEqual(['mirror-failing']);
    const body = (await (await request('/health')).json()) as { automation: { alerts: unknown } };
    expect(body.automation.alerts).toEqual({
      state: 'off',
      signed: false,
      message:
        'ALERT_WEBHOOK_URL is empty: alerts go to the webhook set in the fleet settings, if any; the alert feed keeps them either way',
    });
  });

  it('with neither a webhook nor the control plane, reads no alert state', async () => {
    const settings = { SUPABASE_SERVICE_ROLE_KEY: '', REGISTRY_GIT_URL: gitUrl(GIT_SCENARIOS.serverError) };
    await runMinute(0, settings);
    expect(await env.REGISTRY_KV.get(MIRROR_ALERT_KEY, 'text')).toBeNull();
    const body = (await (await request('/health', {}, settings)).json()) as {
      automation: { alerts: unknown };
    };
    expect(body.automation.alerts).toEqual({
      state: 'off',
      signed: false,
      message: 'alerts off: ALERT_WEBHOOK_URL is empty and no webhook is set in the fleet settings',
    });
  });
});

describe('the once-a-minute Cron Trigger: the alert feed, source health and the fleet settings', () => {
  const UNHEALTHY = {
    source: 'git',
    state: 'unhealthy',
    errorPercent: 52.3,
    errors: 523,
    requests: 1000,
    installs: 40,
    windowMinutes: 5,
    thresholdPercent: 20,
    from: '2026-11-30T10:00:00.000Z',
    to: '2026-11-30T10:05:00.000Z',
  };

  it('every alert sent is also kept in the feed, with the service role key', async () => {
    const automation = await scriptedAutomation(SWITCHED);
    const webhook = await recordingWebhook();
    await runMinute(1, { SUPABASE_URL: automation.url, ALERT_WEBHOOK_URL: webhook.url });
    const feed = await automation.feed();
    expect(feed).toHaveLength(1);
    expect(feed[0]).toEqual(JSON.parse((await webhook.deliveries())[0]?.body ?? '{}'));
  });

  it('a source unhealthy across the fleet: one signed alert saying which, how bad, and the rule; and its recovery', async () => {
    const automation = await scriptedAutomation({
      status: 200,
      body: { action: 'none', reason: 'auto-switch is off', sourceHealth: [UNHEALTHY] },
    });
    const webhook = await recordingWebhook();
    const settings = {
      SUPABASE_URL: automation.url,
      ALERT_WEBHOOK_URL: webhook.url,
      ALERT_WEBHOOK_SECRET: SECRET,
    };
    await runMinute(1, settings);
    const [call] = await webhook.deliveries();
    expect(call && (await verifies(SECRET, call))).toBe(true);
    const alert = JSON.parse(call?.body ?? '{}');
    expect(alert.event).toBe('source-unhealthy');
    expect(alert.text).toBe(
      'Cartae fleet: Git is unhealthy: errors on 52.3 % of 1,000 requests from 40 installs over 5 min (alert above 20 %)',
    );
    expect(alert.details).toMatchObject({ source: 'git', errorPercent: 52.3, thresholdPercent: 20 });
    await automation.answerWith({
      status: 200,
      body: {
        action: 'none',
        reason: 'auto-switch is off',
        sourceHealth: [{ ...UNHEALTHY, state: 'healthy', errorPercent: 1.2, errors: 12 }],
      },
    });
    await runMinute(2, settings);
    expect(events(await webhook.deliveries())).toEqual(['source-unhealthy', 'source-recovered']);
    expect((await automation.feed()).map((a) => a.text)[1]).toBe(
      'Cartae fleet: Git is healthy again: errors on 1.2 % of 1,000 requests from 40 installs over 5 min (alert above 20 %)',
    );
  });

  it("the fleet settings' webhook wins over ALERT_WEBHOOK_URL, signed with the settings' secret", async () => {
    const fromSettings = await recordingWebhook();
    const fromEnv = await recordingWebhook();
    const automation = await scriptedAutomation({
      ...SWITCHED,
      body: { ...SWITCHED.body, alertWebhook: { url: fromSettings.url, secret: 'settings-secret-0123' } },
    });
    await runMinute(1, {
      SUPABASE_URL: automation.url,
      ALERT_WEBHOOK_URL: fromEnv.url,
      ALERT_WEBHOOK_SECRET: SECRET,
    });
    expect(await fromEnv.deliveries()).toHaveLength(0);
    const [call] = await fromSettings.deliveries();
    expect(call && (await verifies('settings-secret-0123', call))).toBe(true);
    expect(call && (await verifies(SECRET, call))).toBe(false);
  });

  it("never fetches a settings' webhook that fails the URL policy; the feed still gets the alert", async () => {
    const webhook = await recordingWebhook();
    const automation = await scriptedAutomation({
      ...SWITCHED,
      body: {
        ...SWITCHED.body,
        alertWebhook: { url: webhook.url.replace('http://', 'http://u:p@'), secret: null },
      },
    });
    await runMinute(1, { SUPABASE_URL: automation.url, ALERT_WEBHOOK_URL: webhook.url });
    expect(await webhook.deliveries()).toHaveLength(0);
    expect((await automation.feed()).map((a) => a.event)).toEqual(['auto-switch']);
  });

  it('a canary promoted by the ramp: one signed alert saying from, to and why', async () => {
    const automation = await scriptedAutomation({
      status: 200,
      body: {
        action: 'promoted',
        from: 10,
        to: 50,
        version: 9,
        reason: 'auto-ramp: …',
        evidence: { source: 'cloudflare', errorPercent: 1, requests: 3900, holdMinutes: 30, guardPercent: 5 },
      },
    });
    const webhook = await recordingWebhook();
    await runMinute(1, {
      SUPABASE_URL: automation.url,
      ALERT_WEBHOOK_URL: webhook.url,
      ALERT_WEBHOOK_SECRET: SECRET,
    });
    const [call] = await webhook.deliveries();
    expect(call && (await verifies(SECRET, call))).toBe(true);
    const alert = JSON.parse(call?.body ?? '{}');
    expect(alert.event).toBe('canary-promoted');
    expect(alert.text).toBe(
      'Cartae raised the canary from 10 % to 50 % (config version 9): CDN errors 1.0 % of 3,900 requests over 30 min ≤ 5 %',
    );
    expect((await automation.feed()).map((a) => a.event)).toEqual(['canary-promoted']);
  });

  it('paused by an admin (the kill switch): no action, so no alert', async () => {
    const automation = await scriptedAutomation({
      status: 200,
      body: { action: 'none', paused: true, reason: 'the fleet automation is paused by ada@cartae.dev' },
    });
    const webhook = await recordingWebhook();
    await runMinute(1, { SUPABASE_URL: automation.url, ALERT_WEBHOOK_URL: webhook.url });
    expect(await webhook.deliveries()).toHaveLength(0);
    expect(await automation.feed()).toHaveLength(0);
  });
});
