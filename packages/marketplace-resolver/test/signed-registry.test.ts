import { exportTrustedKey, signRegistry } from '@cartae/marketplace-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registryText } from '../../../tests/fixtures/registry-builder.ts';
import { createMemoryStorage } from '../src/storage/memory-storage.ts';
import { type LoopbackSources, startLoopbackSources } from './support/loopback-sources.ts';

let s: LoopbackSources;
let signer: { kid: string; privateKey: CryptoKey };
let trustedKeys: { kid: string; x: string }[];
const signed = (version: number) => signRegistry(new TextEncoder().encode(registryText({ version })), signer);

beforeAll(async () => {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  signer = { kid: 'release-2026', privateKey: pair.privateKey };
  trustedKeys = [await exportTrustedKey('release-2026', pair.publicKey)];
});
beforeEach(async () => {
  s = await startLoopbackSources();
});
afterEach(async () => {
  await s.close();
});

describe('an app that ships registry keys', () => {
  it('accepts a signed registry from either source', async () => {
    s.git.setFile('/registry/registry.json', await signed(3));
    const r = s.resolver({ trustedKeys });
    expect(await r.getRegistry()).toMatchObject({
      ok: true,
      source: 'git',
      signedBy: 'release-2026',
      registry: { version: 3 },
    });
  });

  it('refuses an unsigned registry and falls back to a signed one', async () => {
    s.git.setFile('/registry/registry.json', registryText({ version: 3 }));
    s.cdn.setFile('/api/plugins', await signed(3));
    const r = s.resolver({ trustedKeys });
    expect(await r.getRegistry()).toMatchObject({ ok: true, source: 'cloudflare', fallback: true });
  });

  it('refuses a rolled-back version from any source, across restarts', async () => {
    const storage = createMemoryStorage();
    s.git.setFile('/registry/registry.json', await signed(7));
    expect((await s.resolver({ trustedKeys, platform: { storage } }).getRegistry()).ok).toBe(true);
    s.git.setFile('/registry/registry.json', await signed(6));
    s.cdn.setFile('/api/plugins', await signed(6));
    const restarted = await s.resolver({ trustedKeys, platform: { storage } }).getRegistry();
    // Both sources serve an older signed version: the persisted v7 is served, stale, instead.
    expect(restarted).toMatchObject({ ok: true, stale: true, registry: { version: 7 } });
    expect(!restarted.ok || restarted.error?.message).toContain('older than version 7');
  });
});
