import { describe, expect, it } from 'vitest';
import { nextReadDelay, RECOVERY_READ_MS, readsOnEvent, readsOnReturn } from './read-schedule.ts';

describe('nextReadDelay', () => {
  it('sets no timer while the page shows a fresh registry', () => {
    expect(nextReadDelay(true)).toBeUndefined();
  });

  it('tries again after five minutes, the registry’s cache lifetime, while it shows a saved copy or nothing', () => {
    expect(nextReadDelay(false)).toBe(RECOVERY_READ_MS);
    expect(RECOVERY_READ_MS).toBeGreaterThanOrEqual(5 * 60_000);
  });
});

describe('readsOnEvent', () => {
  it.each([
    ['config-changed', true, true],
    ['config-changed', false, true],
    ['source-readmitted', false, true],
    ['source-readmitted', true, false],
    ['source-ejected', false, false],
    ['fallback', false, false],
    ['stale', false, false],
    ['config-rejected', false, false],
    ['config-refresh-failed', false, false],
  ] as const)('%s with a fresh page %s → %s', (event, fresh, expected) => {
    expect(readsOnEvent(event, fresh)).toBe(expected);
  });
});

describe('readsOnReturn', () => {
  it.each([
    [0, 300, false],
    [60_000, 300, false],
    [300_000, 300, false],
    [300_001, 300, true],
    [6_000, 5, true],
  ])('hidden %i ms with a %i s config TTL → %s', (hiddenForMs, ttlSeconds, expected) => {
    expect(readsOnReturn(hiddenForMs, ttlSeconds)).toBe(expected);
  });
});
