import { validateFleetSettingsChange } from '@cartae/marketplace-core';
import { describe, expect, it } from 'vitest';
import { GENERATED_SECRET_BYTES, generateWebhookSecret } from './webhook-secret.ts';

describe('generateWebhookSecret', () => {
  it('encodes 32 random bytes as base64url, which the database accepts', () => {
    const fixed = generateWebhookSecret((bytes) => bytes.fill(0xfb));
    expect(fixed).toBe(Buffer.alloc(GENERATED_SECRET_BYTES, 0xfb).toString('base64url'));
    expect(fixed).toHaveLength(43);
    expect(fixed).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(validateFleetSettingsChange({ webhookSecret: fixed }).ok).toBe(true);
  });

  it('uses the platform random source by default: two secrets differ', () => {
    const [a, b] = [generateWebhookSecret(), generateWebhookSecret()];
    expect(a).toHaveLength(43);
    expect(a).not.toBe(b);
  });
});
