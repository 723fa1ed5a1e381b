import { describe, expect, it } from 'vitest';
import type { Alert } from '../src/alerts/alert.ts';
import { alertVerdict } from '../src/alerts/alert-retry.ts';
import { signAlert } from '../src/alerts/alert-signature.ts';
import { readAlertWebhookUrl } from '../src/alerts/alert-webhook-setting.ts';
import { deliverAlert } from '../src/alerts/deliver-alert.ts';
import { judgeMirror, MIRROR_STALE_AFTER_MS, mirrorAlertStep } from '../src/alerts/mirror-alert.ts';
import { readFleetAutomationAnswer } from '../src/automation/fleet-automation-answer.ts';
import { isMirrorMinute } from '../src/automation/mirror-minute.ts';
import type { MirrorStatus } from '../src/registry/mirror-status.ts';
import type { WorkerPlatform } from '../src/worker-platform.ts';

const NOW = Date.parse('2026-12-01T10:07:30.000Z');

describe('isMirrorMinute', () => {
  it.each([
    ['2026-12-01T10:00:00Z', true],
    ['2026-12-01T10:05:00Z', true],
    ['2026-12-01T10:05:59Z', true],
    ['2026-12-01T10:06:00Z', false],
    ['2026-12-01T10:59:00Z', false],
    ['2026-12-01T11:55:00Z', true],
  ])('%s → %s', (time, expected) => {
    expect(isMirrorMinute(Date.parse(time))).toBe(expected);
  });
});

describe('alertVerdict', () => {
  it.each([
    [200, 'delivered'],
    [204, 'delivered'],
    [undefined, 'retry'],
    [429, 'retry'],
    [408, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [301, 'give-up'],
    [400, 'give-up'],
    [401, 'give-up'],
    [404, 'give-up'],
  ])('%s → %s', (status, expected) => {
    expect(alertVerdict(status)).toBe(expected);
  });
});

describe('signAlert', () => {
  it('is sha256=HMAC-SHA256 of "<timestamp>.<body>" in hex (same as Node crypto.createHmac)', async () => {
    expect(await signAlert('s3cret', 1764517200, '{"text":"hi"}')).toBe(
      'sha256=afd29abd9ff9fb340a697ebbcc4f5b3cd26c0d0b1560371a734ed29af6e795ac',
    );
  });
});

describe('readAlertWebhookUrl', () => {
  it.each([
    ['', false, { kind: 'off' }],
    ['  ', false, { kind: 'off' }],
    [
      'https://hooks.slack.com/services/T/B/x',
      false,
      { kind: 'on', url: 'https://hooks.slack.com/services/T/B/x' },
    ],
    ['http://127.0.0.1:9000/hook', true, { kind: 'on', url: 'http://127.0.0.1:9000/hook' }],
    [
      'http://127.0.0.1:9000/hook',
      false,
      {
        kind: 'refused',
        reason: 'ALERT_WEBHOOK_URL must use https (http to localhost is not enabled); alerts are off',
      },
    ],
    [
      'http://hooks.example.com/x',
      true,
      {
        kind: 'refused',
        reason: 'ALERT_WEBHOOK_URL must use https (http is only accepted for localhost); alerts are off',
      },
    ],
  ])('%j (loopback http %s)', (raw, allowLoopbackHttp, expected) => {
    expect(readAlertWebhookUrl(raw, { allowLoopbackHttp })).toEqual(expected);
  });
});

describe('readFleetAutomationAnswer', () => {
  /** What an answer without extras reads as (a control plane before 20261201150000). */
  const NO_EXTRAS = { paused: false, sourceHealth: [], alertWebhook: undefined };
  it.each([
    [
      { action: 'none', reason: 'auto-switch is off' },
      { action: 'none', reason: 'auto-switch is off', ...NO_EXTRAS },
    ],
    [
      { action: 'switched', from: 'git', to: 'cloudflare', version: 8, evidence: { requests: 1 } },
      {
        action: 'switched',
        from: 'git',
        to: 'cloudflare',
        version: 8,
        evidence: { requests: 1 },
        ...NO_EXTRAS,
      },
    ],
    [{ action: 'switched', from: 'git', to: 'cloudflare' }, undefined],
    [
      { action: 'rolled-back', from: 15, to: 16, restored: 14, reason: 'r', evidence: { requests: 1 } },
      {
        action: 'rolled-back',
        from: 15,
        to: 16,
        restored: 14,
        reason: 'r',
        evidence: { requests: 1 },
        ...NO_EXTRAS,
      },
    ],
    [
      { action: 'rolled-back', from: 15, to: 16 },
      { action: 'rolled-back', from: 15, to: 16, restored: 14, evidence: {}, ...NO_EXTRAS },
    ],
    [
      { action: 'promoted', from: 10, to: 50, version: 9, reason: 'r', evidence: { requests: 1 } },
      {
        action: 'promoted',
        from: 10,
        to: 50,
        version: 9,
        reason: 'r',
        evidence: { requests: 1 },
        ...NO_EXTRAS,
      },
    ],
    [{ action: 'promoted', from: 10, to: 50 }, undefined],
    [{ action: 'rolled-back', from: '15', to: 16 }, undefined],
    [{ action: 'none' }, undefined],
    [[{ action: 'none', reason: 'x' }], undefined],
    ['<html>', undefined],
    [null, undefined],
  ])('%j', (value, expected) => {
    expect(readFleetAutomationAnswer(value)).toEqual(expected);
  });

  it('reads the extras: paused, the source health changes (dropping malformed ones), the webhook', () => {
    const change = {
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
    const answer = readFleetAutomationAnswer({
      action: 'none',
      reason: 'paused',
      paused: true,
      sourceHealth: [change, { ...change, state: 'sick' }, { ...change, errors: '523' }, 'git'],
      alertWebhook: { url: 'https://hooks.example.com/x', secret: null },
    });
    expect(answer).toEqual({
      action: 'none',
      reason: 'paused',
      paused: true,
      sourceHealth: [
        {
          source: 'git',
          state: 'unhealthy',
          errorPercent: 52.3,
          errors: 523,
          requests: 1000,
          installs: 40,
          windowMinutes: 5,
          thresholdPercent: 20,
        },
      ],
      alertWebhook: { url: 'https://hooks.example.com/x', secret: undefined },
    });
    expect(
      readFleetAutomationAnswer({ action: 'none', reason: 'x', alertWebhook: { url: 'u', secret: 's' } })
        ?.alertWebhook,
    ).toEqual({ url: 'u', secret: 's' });
    expect(
      readFleetAutomationAnswer({ action: 'none', reason: 'x', sourceHealth: 'all fine' })?.sourceHealth,
    ).toEqual([]);
  });
});

const status = (overrides: Partial<MirrorStatus>): MirrorStatus => ({
  lastAttemptAt: NOW - 60_000,
  lastResult: 'updated',
  lastMessage: 'stored registry version 2',
  lastSuccessAt: NOW - 60_000,
  consecutiveFailures: 0,
  version: 2,
  ...overrides,
});

describe('judgeMirror and mirrorAlertStep', () => {
  const failed = status({
    lastResult: 'failed',
    lastMessage: 'Git answered HTTP 500',
    consecutiveFailures: 2,
  });

  it.each([
    ['never ran', undefined, 'unknown'],
    ['updated a minute ago', status({}), 'healthy'],
    ['failed', failed, 'failing'],
    ['rate-limited', status({ lastResult: 'rate-limited' }), 'failing'],
    ['an older version refused', status({ lastResult: 'rejected-older' }), 'failing'],
    [
      'healthy, but not run for 15 minutes',
      status({ lastAttemptAt: NOW - MIRROR_STALE_AFTER_MS }),
      'healthy',
    ],
    [
      'healthy, but not run for 16 minutes',
      status({ lastAttemptAt: NOW - MIRROR_STALE_AFTER_MS - 60_000 }),
      'stale',
    ],
  ])('%s → %s', (_name, given, expected) => {
    expect(judgeMirror(given, NOW).kind).toBe(expected);
  });

  it('alerts on transitions only, and writes memory only then', () => {
    const turned = mirrorAlertStep(undefined, judgeMirror(failed, NOW), NOW);
    expect(turned.memory).toEqual({ state: 'failing', since: NOW });
    expect(turned.alert).toMatchObject({ event: 'mirror-failing', at: '2026-12-01T10:07:30.000Z' });
    expect(turned.alert?.text).toBe(
      'Cartae registry mirror failing (failed): Git answered HTTP 500 (2 failed runs; last success 2026-12-01T10:06:30.000Z)',
    );
    const memory = { state: 'failing', since: NOW - 600_000 } as const;
    expect(mirrorAlertStep(memory, judgeMirror(failed, NOW), NOW)).toEqual({});
    expect(mirrorAlertStep(undefined, judgeMirror(status({}), NOW), NOW)).toEqual({});
    expect(mirrorAlertStep(memory, judgeMirror(undefined, NOW), NOW)).toEqual({});
    const recovered = mirrorAlertStep(memory, judgeMirror(status({}), NOW), NOW);
    expect(recovered.memory).toBeNull();
    expect(recovered.alert).toMatchObject({
      event: 'mirror-recovered',
      text: 'Cartae registry mirror recovered: stored registry version 2 (failing since 2026-12-01T09:57:30.000Z)',
      details: { condition: 'healthy', failingSince: '2026-12-01T09:57:30.000Z' },
    });
  });
});

describe('deliverAlert', () => {
  const alert: Alert = { text: 'hello', event: 'auto-switch', at: '2026-12-01T10:07:30.000Z', details: {} };

  /** A platform whose fetch answers `statuses` in turn ('throw': unreachable), recording each call. */
  function fakePlatform(statuses: (number | 'throw')[]) {
    const calls: RequestInit[] = [];
    const logs: string[] = [];
    const platform: WorkerPlatform = {
      fetch: async (_input, init) => {
        calls.push(init ?? {});
        const next = statuses.shift() ?? 200;
        if (next === 'throw') throw new Error('connection refused');
        return new Response(null, { status: next });
      },
      now: () => NOW,
      log: (event) => logs.push(event),
    };
    return { platform, calls, logs };
  }

  it.each([
    ['delivered at once', [200], { delivered: true, attempts: 1 }, []],
    ['500, 429, then 200', [500, 429, 200], { delivered: true, attempts: 3 }, [2_000, 8_000]],
    ['unreachable, then 204', ['throw', 204], { delivered: true, attempts: 2 }, [2_000]],
    ['400: no retry', [400], { delivered: false, attempts: 1, status: 400 }, []],
    [
      '500 three times: gives up',
      [500, 500, 500],
      { delivered: false, attempts: 3, status: 500 },
      [2_000, 8_000],
    ],
  ] as const)('%s', async (_name, statuses, expected, slept) => {
    const { platform, calls, logs } = fakePlatform([...statuses]);
    const sleeps: number[] = [];
    const outcome = await deliverAlert(
      { url: 'https://hooks.example.com/x', secret: undefined },
      alert,
      platform,
      {
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      },
    );
    expect(outcome).toMatchObject(expected);
    expect(calls).toHaveLength(expected.attempts);
    expect(sleeps).toEqual(slept);
    expect(logs).toHaveLength(expected.delivered ? expected.attempts - 1 : expected.attempts);
    expect(calls[0]?.redirect).toBe('manual');
  });
});
