import { beforeAll, describe, expect, it } from 'vitest';
import { buildRegistry, registryText } from '../../../tests/fixtures/registry-builder.ts';
import { openRegistry } from './open-registry.ts';
import { exportTrustedKey, signRegistry, type TrustedRegistryKey } from './registry-signature.ts';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const encode = (text: string) => new TextEncoder().encode(text);

let signer: { kid: string; privateKey: CryptoKey };
let trusted: TrustedRegistryKey;
let otherTrusted: TrustedRegistryKey;

beforeAll(async () => {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const other = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  signer = { kid: 'k1', privateKey: pair.privateKey };
  trusted = await exportTrustedKey('k1', pair.publicKey);
  otherTrusted = await exportTrustedKey('k1', other.publicKey);
});

describe('openRegistry, unsigned', () => {
  it('accepts a valid registry', async () => {
    const r = await openRegistry(registryText({ plugins: 5, version: 7 }), { now: NOW });
    expect(r.ok && r.value.registry.version).toBe(7);
    expect(r.ok && r.value.registry.plugins).toHaveLength(5);
  });

  it.each([
    ['truncated JSON', registryText().slice(0, 80), 'registry_invalid_json', 'registry is not valid JSON'],
    [
      'an HTML page',
      '<!doctype html><html><body>Rate limited</body></html>',
      'registry_invalid_json',
      'it looks like an HTML page',
    ],
    [
      'a schema-invalid document',
      JSON.stringify({ version: 'seven', plugins: {} }),
      'registry_invalid',
      'registry does not match the schema',
    ],
    [
      'a bad sha256',
      JSON.stringify({ ...buildRegistry(), plugins: [{ ...buildRegistry().plugins[0], sha256: 'xyz' }] }),
      'registry_invalid',
      'sha256',
    ],
    [
      'an http download URL',
      registryText({ downloadBase: 'http://downloads.example' }),
      'registry_invalid',
      'downloadUrl must use https',
    ],
    [
      'a javascript: download URL',
      JSON.stringify({
        ...buildRegistry(),
        plugins: [{ ...buildRegistry().plugins[0], downloadUrl: 'javascript:alert(1)' }],
      }),
      'registry_invalid',
      'downloadUrl must use https',
    ],
    [
      'duplicate ids',
      JSON.stringify({
        ...buildRegistry(),
        plugins: [buildRegistry().plugins[0], buildRegistry().plugins[0]],
      }),
      'registry_invalid',
      'duplicate plugin id',
    ],
    [
      'an expired registry',
      registryText({ expires: '2026-11-01T00:00:00Z' }),
      'registry_expired',
      'expired at 2026-11-01',
    ],
  ])('refuses %s', async (_name, text, code, message) => {
    const r = await openRegistry(text, { now: NOW });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(JSON.stringify(r.error.toJSON())).toContain(message);
  });

  it('tolerates a few minutes of clock skew on expiry', async () => {
    const r = await openRegistry(registryText({ expires: '2026-11-24T11:58:00Z' }), { now: NOW });
    expect(r.ok).toBe(true);
  });

  it('refuses a version below the highest seen when asked to', async () => {
    const r = await openRegistry(registryText({ version: 4 }), { now: NOW, minVersion: 5 });
    expect(!r.ok && r.error.code).toBe('registry_rollback');
    expect((await openRegistry(registryText({ version: 5 }), { now: NOW, minVersion: 5 })).ok).toBe(true);
  });
});

describe('openRegistry, signed', () => {
  it('accepts a registry signed by a trusted key', async () => {
    const text = await signRegistry(encode(registryText({ version: 3 })), signer);
    const r = await openRegistry(text, { now: NOW, trustedKeys: [trusted] });
    expect(r).toMatchObject({ ok: true, value: { signedBy: 'k1', registry: { version: 3 } } });
  });

  it('refuses an unsigned registry when the app ships keys', async () => {
    const r = await openRegistry(registryText(), { now: NOW, trustedKeys: [trusted] });
    expect(!r.ok && r.error.code).toBe('registry_unsigned');
  });

  it('refuses a registry signed by an unknown key', async () => {
    const text = await signRegistry(encode(registryText()), signer);
    const r = await openRegistry(text, { now: NOW, trustedKeys: [otherTrusted] });
    expect(!r.ok && r.error.code).toBe('registry_signature_invalid');
  });

  it('refuses a tampered payload', async () => {
    const jws = JSON.parse(await signRegistry(encode(registryText({ version: 3 })), signer));
    const tampered = btoa(registryText({ version: 99 }))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    const r = await openRegistry(JSON.stringify({ ...jws, payload: tampered }), {
      now: NOW,
      trustedKeys: [trusted],
    });
    expect(!r.ok && r.error.message).toContain('does not match key "k1"');
  });

  it('refuses alg confusion', async () => {
    const jws = JSON.parse(await signRegistry(encode(registryText()), signer));
    const header = btoa(JSON.stringify({ alg: 'none', kid: 'k1' })).replace(/=+$/, '');
    const r = await openRegistry(JSON.stringify({ ...jws, protected: header }), {
      now: NOW,
      trustedKeys: [trusted],
    });
    expect(!r.ok && r.error.message).toContain('only EdDSA is accepted');
  });

  it('still checks expiry inside a valid signature', async () => {
    const text = await signRegistry(encode(registryText({ expires: '2026-01-01T00:00:00Z' })), signer);
    const r = await openRegistry(text, { now: NOW, trustedKeys: [trusted] });
    expect(!r.ok && r.error.code).toBe('registry_expired');
  });
});
