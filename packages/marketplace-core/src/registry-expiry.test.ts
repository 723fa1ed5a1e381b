import { describe, expect, it } from 'vitest';
import { REGISTRY_EXPIRY_GRACE_MS, withinExpiry } from './registry-expiry.ts';

describe('withinExpiry', () => {
  const expires = '2026-01-01T00:00:00.000Z';
  const at = Date.parse(expires);
  it.each([
    ['before expiry', at - 1, true],
    ['at expiry', at, true],
    ['inside the grace', at + REGISTRY_EXPIRY_GRACE_MS, true],
    ['past the grace', at + REGISTRY_EXPIRY_GRACE_MS + 1, false],
  ])('%s', (_name, now, usable) => {
    expect(withinExpiry(expires, now)).toBe(usable);
  });
  it('an unreadable date is never usable', () => {
    expect(withinExpiry('soon', at)).toBe(false);
  });
});
