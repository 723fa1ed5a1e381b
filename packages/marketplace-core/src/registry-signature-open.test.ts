import { beforeAll, describe, expect, it } from 'vitest';
import { registryText } from '../../../tests/fixtures/registry-builder.ts';
import { exportTrustedKey, signRegistry, type TrustedRegistryKey } from './registry-signature.ts';
import { type RegistrySigner, signRegistryDetached } from './registry-signature-detached.ts';
import { openSignedRegistry } from './registry-signature-open.ts';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const encode = (text: string) => new TextEncoder().encode(text);
let signer: RegistrySigner;
let trustedKeys: TrustedRegistryKey[];

beforeAll(async () => {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  signer = { kid: 'release', privateKey: pair.privateKey };
  trustedKeys = [await exportTrustedKey('release', pair.publicKey)];
});

async function signed(text: string) {
  const bytes = encode(text);
  return { bytes, sig: await signRegistryDetached(bytes, [signer]) };
}

describe('openSignedRegistry', () => {
  it('opens a signed registry and names the key', async () => {
    const { bytes, sig } = await signed(registryText({ version: 9 }));
    const r = await openSignedRegistry(bytes, sig, { now: NOW, trustedKeys });
    expect(r).toMatchObject({ ok: true, value: { signedBy: 'release', registry: { version: 9 } } });
  });

  it('refuses a missing signature with registry_signature_invalid, saying so', async () => {
    const r = await openSignedRegistry(encode(registryText()), undefined, { now: NOW, trustedKeys });
    expect(!r.ok && r.error.code).toBe('registry_signature_invalid');
    expect(!r.ok && r.error.message).toContain('registry signature missing');
  });

  it('still checks expiry and the rollback floor inside a valid signature', async () => {
    const expired = await signed(registryText({ expires: '2026-01-01T00:00:00Z' }));
    const r1 = await openSignedRegistry(expired.bytes, expired.sig, { now: NOW, trustedKeys });
    expect(!r1.ok && r1.error.code).toBe('registry_expired');
    const old = await signed(registryText({ version: 3 }));
    const r2 = await openSignedRegistry(old.bytes, old.sig, { now: NOW, trustedKeys, minVersion: 4 });
    expect(!r2.ok && r2.error.code).toBe('registry_rollback');
  });

  it('refuses signed bytes that are the old envelope, saying what to publish', async () => {
    const envelope = await signed(await signRegistry(encode(registryText()), signer));
    const r = await openSignedRegistry(envelope.bytes, envelope.sig, { now: NOW, trustedKeys });
    expect(!r.ok && r.error.message).toContain('JWS envelope');
  });

  it('refuses bytes that are not UTF-8, once signed', async () => {
    const bytes = Uint8Array.of(0x7b, 0xff, 0x7d);
    const sig = await signRegistryDetached(bytes, [signer]);
    const r = await openSignedRegistry(bytes, sig, { now: NOW, trustedKeys });
    expect(!r.ok && r.error.message).toContain('not valid UTF-8');
  });
});
