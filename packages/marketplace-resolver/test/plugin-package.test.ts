import { createHash } from 'node:crypto';
import { exportTrustedKey, signRegistryDetached } from '@cartae/marketplace-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../tests/fixtures/registry-builder.ts';
import { type LoopbackSources, startLoopbackSources } from './support/loopback-sources.ts';

const PACKAGE = 'PK\u0003\u0004 a plugin package, as bytes';
let s: LoopbackSources;

/** A registry whose first plugin downloads from the loopback Git host, with the given sha256. */
function registryWithPackage(sha256: string, downloadUrl = `${s.git.url}/packages/plugin-00000.zip`): string {
  const registry = buildRegistry({ version: 5 });
  const [first, ...rest] = registry.plugins;
  return `${JSON.stringify({ ...registry, plugins: [{ ...first, downloadUrl, sha256 }, ...rest] }, null, 2)}\n`;
}
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeEach(async () => {
  s = await startLoopbackSources();
  s.git.setFile('/packages/plugin-00000.zip', PACKAGE);
});
afterEach(async () => {
  await s.close();
});

describe('downloadPluginPackage', () => {
  it('hands over a package whose SHA-256 is the registry entry’s', async () => {
    s.git.setFile('/registry/registry.json', registryWithPackage(sha256(PACKAGE)));
    const pkg = await s.resolver().downloadPluginPackage('plugin-00000');
    expect(pkg).toMatchObject({ ok: true, registryVersion: 5, plugin: { id: 'plugin-00000' } });
    expect(pkg.ok && new TextDecoder().decode(pkg.bytes)).toBe(PACKAGE);
  });

  it('checks against the verified registry when the app ships keys', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const text = registryWithPackage(sha256(PACKAGE));
    s.git.setFile('/registry/registry.json', text);
    s.git.setFile(
      '/registry/registry.json.sig',
      await signRegistryDetached(new TextEncoder().encode(text), [{ kid: 'k', privateKey: pair.privateKey }]),
    );
    const r = s.resolver({ trustedKeys: [await exportTrustedKey('k', pair.publicKey)] });
    expect(await r.downloadPluginPackage('plugin-00000')).toMatchObject({ ok: true, signedBy: 'k' });
  });

  it('refuses a package whose bytes are not the ones the registry vouches for', async () => {
    s.git.setFile('/registry/registry.json', registryWithPackage(sha256(`${PACKAGE}!`)));
    const pkg = await s.resolver().downloadPluginPackage('plugin-00000');
    expect(pkg).toMatchObject({ ok: false, reason: 'sha256_mismatch' });
    expect(!pkg.ok && pkg.error.message).toContain('refusing it');
  });

  it.each([
    ['an id not in the registry', 'nope', {}, 'not_in_registry'],
    ['a package over the size bound', 'plugin-00000', { maxBytes: 8 }, 'too_large'],
  ] as const)('refuses %s', async (_name, id, options, reason) => {
    s.git.setFile('/registry/registry.json', registryWithPackage(sha256(PACKAGE)));
    expect(await s.resolver().downloadPluginPackage(id, options)).toMatchObject({ ok: false, reason });
  });

  it('says when the download fails', async () => {
    s.git.setFile('/registry/registry.json', registryWithPackage(sha256(PACKAGE)));
    s.git.setBehaviour('/packages/plugin-00000.zip', { kind: 'status', status: 502 });
    const pkg = await s.resolver().downloadPluginPackage('plugin-00000');
    expect(pkg).toMatchObject({ ok: false, reason: 'download_failed', error: { status: 502 } });
  });
});
