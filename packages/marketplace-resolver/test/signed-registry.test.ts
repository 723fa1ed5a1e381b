import {
  exportTrustedKey,
  type RegistrySigner,
  signRegistry,
  signRegistryDetached,
  type TrustedRegistryKey,
} from '@cartae/marketplace-core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registryText } from '../../../tests/fixtures/registry-builder.ts';
import type { ResolverEvent } from '../src/events.ts';
import { createMemoryStorage } from '../src/storage/memory-storage.ts';
import { type LoopbackSources, startLoopbackSources } from './support/loopback-sources.ts';

const GIT_REGISTRY = '/registry/registry.json';
const GIT_SIG = '/registry/registry.json.sig';
const CDN_REGISTRY = '/api/plugins';
const CDN_SIG = '/api/plugins.sig';

let s: LoopbackSources;
let release: { signer: RegistrySigner; trusted: TrustedRegistryKey };
let next: { signer: RegistrySigner; trusted: TrustedRegistryKey };
let stranger: { signer: RegistrySigner; trusted: TrustedRegistryKey };

async function keyPair(kid: string) {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  return {
    signer: { kid, privateKey: pair.privateKey },
    trusted: await exportTrustedKey(kid, pair.publicKey),
  };
}

/** Publishes a registry and its detached signature on one source, as `registry sign` writes them. */
async function publish(
  where: 'git' | 'cdn',
  version: number,
  signers: readonly RegistrySigner[] = [release.signer],
): Promise<string> {
  const text = registryText({ version });
  const sig = await signRegistryDetached(new TextEncoder().encode(text), signers);
  if (where === 'git') {
    s.git.setFile(GIT_REGISTRY, text);
    s.git.setFile(GIT_SIG, sig);
  } else {
    s.cdn.setFile(CDN_REGISTRY, text);
    s.cdn.setFile(CDN_SIG, sig);
  }
  return text;
}

beforeAll(async () => {
  [release, next, stranger] = await Promise.all([
    keyPair('release-2026'),
    keyPair('release-2027'),
    keyPair('stranger'),
  ]);
});
beforeEach(async () => {
  s = await startLoopbackSources();
});
afterEach(async () => {
  await s.close();
});

describe('an app without keys', () => {
  it('reads a signed registry unchanged and never asks for its signature', async () => {
    await publish('git', 3);
    await publish('cdn', 3);
    const r = s.resolver();
    const result = await r.getRegistry();
    expect(result).toMatchObject({ ok: true, source: 'git', registry: { version: 3 } });
    expect(result.ok && result.signedBy).toBeUndefined();
    await r.getRegistry();
    expect(s.gitRequests(GIT_SIG) + s.cdnRequests(CDN_SIG)).toBe(0);
  });
});

describe('an app that ships registry keys', () => {
  it('verifies the detached signature of the source that answered, once per registry', async () => {
    await publish('git', 3);
    const r = s.resolver({ trustedKeys: [release.trusted] });
    expect(await r.getRegistry()).toMatchObject({
      ok: true,
      source: 'git',
      signedBy: 'release-2026',
      registry: { version: 3 },
    });
    expect(s.gitRequests(GIT_SIG)).toBe(1);
    // The registry's 304 confirms bytes already verified: no signature request.
    expect(await r.getRegistry()).toMatchObject({ ok: true, signedBy: 'release-2026' });
    expect(s.gitRequests(GIT_REGISTRY)).toBe(2);
    expect(s.gitRequests(GIT_SIG)).toBe(1);
  });

  it('the same bytes from the other source cost no signature request', async () => {
    await publish('git', 3);
    s.cdn.setFile(CDN_REGISTRY, registryText({ version: 3 }));
    const r = s.resolver({ trustedKeys: [release.trusted] });
    expect((await r.getRegistry()).ok).toBe(true);
    s.git.setBehaviour(GIT_REGISTRY, { kind: 'status', status: 503 });
    expect(await r.getRegistry()).toMatchObject({ ok: true, source: 'cloudflare', signedBy: 'release-2026' });
    expect(s.cdnRequests(CDN_SIG)).toBe(0);
  });

  it('refuses a registry changed by one byte, and the other source serves', async () => {
    const text = await publish('git', 3);
    await publish('cdn', 3);
    s.git.setFile(GIT_REGISTRY, text.replace('"Plugin 1"', '"Plugin 7"'));
    const r = s.resolver({ trustedKeys: [release.trusted] });
    const events: ResolverEvent[] = [];
    r.subscribe((e) => events.push(e));
    expect(await r.getRegistry()).toMatchObject({ ok: true, source: 'cloudflare', fallback: true });
    const fallback = events.find((e) => e.type === 'fallback');
    expect(fallback?.type === 'fallback' && fallback.error.code).toBe('registry_signature_invalid');
    expect(fallback?.type === 'fallback' && fallback.error.message).toContain(
      'registry signature invalid: signature by key "release-2026" does not match these registry bytes',
    );
    expect(r.getStats().perSource.git).toMatchObject({ errors: 1 });
    // Asked again, the unchanged signature file costs a 304.
    await r.getRegistry();
    const sigRequests = s.git.requests.filter((q) => q.path === GIT_SIG);
    expect(sigRequests).toHaveLength(2);
    expect(sigRequests[1]?.ifNoneMatch).toBeDefined();
  });

  it('refuses a registry whose signature is missing, or by a key it does not trust', async () => {
    s.git.setFile(GIT_REGISTRY, registryText({ version: 3 }));
    await publish('cdn', 3, [stranger.signer]);
    const r = s.resolver({ trustedKeys: [release.trusted] });
    const result = await r.getRegistry();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toContain('registry signature missing');
    expect(!result.ok && result.error.message).toContain(
      'registry signature untrusted: the registry is signed only by keys this app does not trust ("stranger")',
    );
  });

  it('an HTTP error on the signature fails that source, and the other serves', async () => {
    await publish('git', 3);
    await publish('cdn', 3);
    s.git.setBehaviour(GIT_SIG, { kind: 'status', status: 503 });
    const r = s.resolver({ trustedKeys: [release.trusted] });
    const events: ResolverEvent[] = [];
    r.subscribe((e) => events.push(e));
    expect(await r.getRegistry()).toMatchObject({ ok: true, source: 'cloudflare', signedBy: 'release-2026' });
    const fallback = events.find((e) => e.type === 'fallback');
    expect(fallback?.type === 'fallback' && fallback.error.code).toBe('source_http_error');
    expect(fallback?.type === 'fallback' && fallback.error.message).toContain(
      "HTTP 503 for the registry's signature",
    );
  });

  it('checkHealth judges a source by its signature as getRegistry() does', async () => {
    const text = await publish('git', 3);
    await publish('cdn', 3);
    s.git.setFile(GIT_REGISTRY, text.replace('"Plugin 1"', '"Plugin 7"'));
    const checks = await s.resolver({ trustedKeys: [release.trusted] }).checkHealth();
    expect(checks.find((c) => c.source === 'git')).toMatchObject({
      ok: false,
      code: 'registry_signature_invalid',
    });
    expect(checks.find((c) => c.source === 'cloudflare')).toMatchObject({ ok: true });
  });

  it('refuses the JWS envelope of earlier releases', async () => {
    s.git.setFile(GIT_REGISTRY, await signRegistry(new TextEncoder().encode(registryText()), release.signer));
    await publish('cdn', 3);
    const r = s.resolver({ trustedKeys: [release.trusted] });
    expect(await r.getRegistry()).toMatchObject({ ok: true, source: 'cloudflare' });
  });

  it('accepts both keys during a rotation', async () => {
    await publish('git', 3, [release.signer, next.signer]);
    const before = await s.resolver({ trustedKeys: [release.trusted] }).getRegistry();
    const after = await s.resolver({ trustedKeys: [next.trusted] }).getRegistry();
    expect(before).toMatchObject({ ok: true, signedBy: 'release-2026' });
    expect(after).toMatchObject({ ok: true, signedBy: 'release-2027' });
  });

  it('keeps the rollback floor and a verified copy across restarts', async () => {
    const storage = createMemoryStorage();
    const trustedKeys = [release.trusted];
    await publish('git', 7);
    expect((await s.resolver({ trustedKeys, platform: { storage } }).getRegistry()).ok).toBe(true);
    await publish('git', 6);
    await publish('cdn', 6);
    const restarted = await s.resolver({ trustedKeys, platform: { storage } }).getRegistry();
    // Both sources serve an older signed version: the persisted v7, checked again, is served stale.
    expect(restarted).toMatchObject({
      ok: true,
      stale: true,
      signedBy: 'release-2026',
      registry: { version: 7 },
    });
    expect(!restarted.ok || restarted.error?.message).toContain('older than version 7');
  });

  it('does not trust a persisted copy whose signature was tampered with', async () => {
    const storage = createMemoryStorage();
    await publish('git', 7);
    expect(
      (await s.resolver({ trustedKeys: [release.trusted], platform: { storage } }).getRegistry()).ok,
    ).toBe(true);
    await storage.set(
      'registry-signature',
      await signRegistryDetached(new TextEncoder().encode('{}'), [release.signer]),
    );
    s.git.setBehaviour('*', { kind: 'status', status: 503 });
    s.cdn.setBehaviour('*', { kind: 'status', status: 503 });
    const restarted = await s
      .resolver({ trustedKeys: [release.trusted], platform: { storage } })
      .getRegistry();
    expect(restarted.ok).toBe(false);
  });
});
