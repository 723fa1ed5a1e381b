import { describe, expect, it } from 'vitest';
import { signatureLabel } from './signature-label.ts';

describe('signatureLabel', () => {
  it.each([
    ['release-2026', true, 'Verified: signed by release-2026'],
    [undefined, true, 'Unsigned'],
    [undefined, false, 'Not checked: this app ships no signing key'],
    ['release-2026', false, 'Not checked: this app ships no signing key'],
  ] as const)('signed by %s, keys %s → %s', (signedBy, keyed, label) => {
    expect(signatureLabel(signedBy, keyed)).toBe(label);
  });
});
