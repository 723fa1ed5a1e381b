import { describe, expect, it } from 'vitest';
import {
  AUTO_SWITCH_COOLDOWN_MS,
  armedSettings,
  autoSwitchState,
  describeAutoSwitchState,
} from './auto-switch-state.ts';

const NOW = Date.parse('2026-11-30T15:00:00.000Z');
const AUTO = { enabled: true, rateLimitedPercent: 70, windowMinutes: 10, target: 'cloudflare' };
const onGit = { type: 'git', priority: ['git'], autoSwitch: AUTO };
const onCdn = { type: 'cloudflare', priority: ['cloudflare'], autoSwitch: AUTO };
const entry = (version: number, minutesAgo: number, origin = 'auto-switch') => ({
  version,
  origin,
  changedAt: new Date(NOW - minutesAgo * 60_000).toISOString(),
});
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const say = (doc: Record<string, unknown>, history: Parameters<typeof autoSwitchState>[1]) =>
  describeAutoSwitchState(autoSwitchState(doc, history, NOW), NOW, clock);

describe('autoSwitchState', () => {
  it('the cooldown mirrors the migration: 60 minutes', () => {
    expect(AUTO_SWITCH_COOLDOWN_MS).toBe(3_600_000);
  });

  it('is off without autoSwitch, with enabled false, or with a shape the database would refuse', () => {
    expect(autoSwitchState({ type: 'git' }, [], NOW)).toEqual({ kind: 'off' });
    expect(autoSwitchState({ ...onGit, autoSwitch: { ...AUTO, enabled: false } }, [], NOW).kind).toBe('off');
    for (const odd of [null, 'yes', [], { ...AUTO, target: 'ftp' }, { ...AUTO, rateLimitedPercent: '70' }]) {
      expect(armedSettings({ ...onGit, autoSwitch: odd })).toBeUndefined();
    }
    expect(say({ type: 'git' }, [])).toBe('off');
  });

  it('is armed on Git with the rule in words', () => {
    expect(autoSwitchState(onGit, [entry(3, 5, 'admin')], NOW).kind).toBe('armed');
    expect(say(onGit, [])).toBe(
      'armed — switches to Cloudflare CDN when Git is rate-limited for ≥ 70 % of requests and of installs over 10 min',
    );
  });

  it('after a switch the fleet is on its target; the cooldown is shown while it lasts', () => {
    expect(autoSwitchState(onCdn, [entry(16, 12)], NOW)).toMatchObject({
      kind: 'on-target',
      last: { version: 16, coolsDownAt: NOW - 12 * 60_000 + AUTO_SWITCH_COOLDOWN_MS },
    });
    expect(say(onCdn, [entry(16, 12)])).toBe(
      'already on its target (Cloudflare CDN) — fired 12 min ago (v16), cooling down until 15:48',
    );
    expect(say(onCdn, [])).toBe('already on its target (Cloudflare CDN)');
    const hybrid = { type: 'hybrid', autoSwitch: { ...AUTO, target: 'hybrid-cdn-first' } };
    expect(autoSwitchState(hybrid, [], NOW).kind).toBe('on-target');
  });

  it('an admin switching back within 60 minutes does not end the cooldown; after it, armed again', () => {
    const history = [entry(17, 5, 'admin'), entry(16, 12)];
    expect(autoSwitchState(onGit, history, NOW).kind).toBe('cooling-down');
    expect(say(onGit, history)).toBe(
      'fired 12 min ago (v16), cooling down until 15:48 — then switches to Cloudflare CDN when Git is rate-limited for ≥ 70 % of requests and of installs over 10 min',
    );
    expect(autoSwitchState(onGit, [entry(17, 5, 'admin'), entry(16, 60)], NOW).kind).toBe('armed');
    expect(autoSwitchState(onGit, [entry(16, 59)], NOW).kind).toBe('cooling-down');
  });

  it('only the latest auto-switch entry counts; other origins and unreadable dates are ignored', () => {
    const history = [
      entry(18, 1, 'auto-rollback'),
      entry(17, 2, 'rollback'),
      { ...entry(16, 3), changedAt: 'soon' },
    ];
    expect(autoSwitchState(onGit, history, NOW)).toEqual({ kind: 'armed', settings: AUTO });
  });
});
