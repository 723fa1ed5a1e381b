import { generalVerify, importJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { registryText } from '../../../tests/fixtures/registry-builder.ts';
import { encodeBase64Url } from './base64url.ts';
import { exportTrustedKey, type TrustedRegistryKey } from './registry-signature.ts';
import {
  type RegistrySigner,
  signRegistryDetached,
  verifyRegistrySignature,
} from './registry-signature-detached.ts';
import { REGISTRY_SIGNATURE_LIMITS, registrySignatureFileText } from './registry-signature-file.ts';
import { registrySigningInput } from './registry-signature-input.ts';

const bytes = new TextEncoder().encode(registryText({ version: 4, plugins: 20 }));

async function keyPair(kid: string): Promise<{ signer: RegistrySigner; trusted: TrustedRegistryKey }> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  return {
    signer: { kid, privateKey: pair.privateKey },
    trusted: await exportTrustedKey(kid, pair.publicKey),
  };
}

function header(fields: Record<string, unknown>): string {
  return encodeBase64Url(new TextEncoder().encode(JSON.stringify(fields)));
}

let k2026: Awaited<ReturnType<typeof keyPair>>;
let k2027: Awaited<ReturnType<typeof keyPair>>;
let stranger: Awaited<ReturnType<typeof keyPair>>;
beforeAll(async () => {
  [k2026, k2027, stranger] = await Promise.all([keyPair('k2026'), keyPair('k2027'), keyPair('stranger')]);
});

describe('registrySigningInput', () => {
  it.each([0, 1, 2, 3, 4, 5, 31, 32, 33])('matches base64url for %i payload bytes', (n) => {
    const payload = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 13) & 255);
    const input = new TextDecoder().decode(registrySigningInput('eyJh', payload));
    expect(input).toBe(`eyJh.${encodeBase64Url(payload)}`);
  });
});

describe('detached registry signatures', () => {
  it('sign, then verify with the trusted key', async () => {
    const sig = await signRegistryDetached(bytes, [k2026.signer]);
    const verdict = await verifyRegistrySignature(bytes, sig, [k2026.trusted]);
    expect(verdict).toMatchObject({ ok: true, kid: 'k2026' });
    const file = JSON.parse(sig);
    expect(Object.keys(file)).toEqual(['signatures']);
    expect(JSON.parse(atob(file.signatures[0].protected))).toEqual({
      alg: 'EdDSA',
      kid: 'k2026',
      typ: 'cartae-registry-signature',
    });
  });

  it('is a standard detached JWS: jose verifies it with the payload put back', async () => {
    const sig = JSON.parse(await signRegistryDetached(bytes, [k2026.signer]));
    const key = await importJWK({ kty: 'OKP', crv: 'Ed25519', x: k2026.trusted.x }, 'EdDSA');
    const verified = await generalVerify({ ...sig, payload: encodeBase64Url(bytes) }, key);
    expect(verified.payload).toEqual(bytes);
  });

  it('refuses a one-byte change in the registry', async () => {
    const sig = await signRegistryDetached(bytes, [k2026.signer]);
    const changed = bytes.slice();
    changed[100] = (changed[100] as number) ^ 1;
    const verdict = await verifyRegistrySignature(changed, sig, [k2026.trusted]);
    expect(verdict).toMatchObject({ ok: false, reason: 'invalid' });
    expect(!verdict.ok && verdict.message).toContain(
      'signature by key "k2026" does not match these registry bytes',
    );
  });

  it('refuses a signature by a key the app does not trust, naming both', async () => {
    const sig = await signRegistryDetached(bytes, [stranger.signer]);
    const verdict = await verifyRegistrySignature(bytes, sig, [k2026.trusted]);
    expect(verdict).toMatchObject({ ok: false, reason: 'untrusted' });
    expect(!verdict.ok && verdict.message).toContain('("stranger"); it trusts "k2026"');
  });

  it('refuses a trusted kid whose key differs (same name, another key)', async () => {
    const sig = await signRegistryDetached(bytes, [{ kid: 'k2026', privateKey: stranger.signer.privateKey }]);
    expect(await verifyRegistrySignature(bytes, sig, [k2026.trusted])).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
  });

  it('says when there is no signature', async () => {
    expect(await verifyRegistrySignature(bytes, undefined, [k2026.trusted])).toMatchObject({
      ok: false,
      reason: 'missing',
    });
  });

  it('rotation: both keys sign, apps with either key accept', async () => {
    const sig = await signRegistryDetached(bytes, [k2026.signer, k2027.signer]);
    expect(await verifyRegistrySignature(bytes, sig, [k2026.trusted])).toMatchObject({
      ok: true,
      kid: 'k2026',
    });
    expect(await verifyRegistrySignature(bytes, sig, [k2027.trusted])).toMatchObject({
      ok: true,
      kid: 'k2027',
    });
    const all = await verifyRegistrySignature(bytes, sig, [k2026.trusted, k2027.trusted], { all: true });
    expect(all.checks.map((c) => c.status)).toEqual(['valid', 'valid']);
  });

  it('appends a second signer to an existing file and replaces a signer’s own', async () => {
    const first = await signRegistryDetached(bytes, [k2026.signer]);
    const both = await signRegistryDetached(bytes, [k2027.signer], { existing: first });
    expect(JSON.parse(both).signatures).toHaveLength(2);
    // Ed25519 is deterministic: signing the same bytes again gives the same file.
    expect(await signRegistryDetached(bytes, [k2026.signer], { existing: both })).toBe(both);
    // A stale signature by one key does not hide a good one by another.
    const other = new TextEncoder().encode(registryText({ version: 5 }));
    const mixed = await signRegistryDetached(other, [k2027.signer], { existing: both });
    expect(await verifyRegistrySignature(other, mixed, [k2026.trusted, k2027.trusted])).toMatchObject({
      ok: true,
      kid: 'k2027',
    });
    expect(await verifyRegistrySignature(other, mixed, [k2026.trusted])).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
  });

  it('never counts a signature with another alg, another typ or crit, but still reads the others', async () => {
    const good = JSON.parse(await signRegistryDetached(bytes, [k2026.signer])).signatures[0];
    const sig = JSON.parse(await signRegistryDetached(bytes, [k2027.signer])).signatures[0];
    for (const fields of [
      { alg: 'none', kid: 'k2027', typ: 'cartae-registry-signature' },
      { alg: 'HS256', kid: 'k2027', typ: 'cartae-registry-signature' },
      { alg: 'EdDSA', kid: 'k2027', typ: 'JWT' },
      { alg: 'EdDSA', kid: 'k2027', typ: 'cartae-registry-signature', crit: ['exp'] },
    ]) {
      const odd = { protected: header(fields), signature: sig.signature };
      const alone = await verifyRegistrySignature(bytes, registrySignatureFileText([odd]), [k2027.trusted]);
      expect(alone).toMatchObject({ ok: false, reason: 'invalid', checks: [{ status: 'unsupported' }] });
      const withGood = registrySignatureFileText([odd, good]);
      expect(await verifyRegistrySignature(bytes, withGood, [k2026.trusted, k2027.trusted])).toMatchObject({
        ok: true,
        kid: 'k2026',
      });
    }
  });

  it.each([
    ['not JSON', () => 'nope', 'not valid JSON'],
    ['no signatures', () => '{"signatures":[]}', 'no signatures'],
    ['an envelope', () => '{"protected":"e30","payload":"e30","signature":"AA"}', '"signatures" array'],
    ['a payload', (s: string) => JSON.stringify({ ...JSON.parse(s), payload: 'e30' }), 'must be detached'],
    [
      'duplicate kids',
      (s: string) =>
        JSON.stringify({ signatures: [...JSON.parse(s).signatures, ...JSON.parse(s).signatures] }),
      'two signatures by key "k2026"',
    ],
    [
      'too many signatures',
      (s: string) =>
        JSON.stringify({
          signatures: Array.from({ length: REGISTRY_SIGNATURE_LIMITS.maxSignatures + 1 }, (_, i) => ({
            protected: header({ alg: 'EdDSA', kid: `k${i}`, typ: 'cartae-registry-signature' }),
            signature: JSON.parse(s).signatures[0].signature,
          })),
        }),
      'at most 8 are read',
    ],
    ['over 8 KiB', (s: string) => s.replace('{', `{"pad":"${'x'.repeat(8192)}",`), 'larger than 8192 bytes'],
    [
      'a bad kid',
      () =>
        registrySignatureFileText([{ protected: header({ alg: 'EdDSA', kid: '../x' }), signature: 'AA' }]),
      'no valid "kid"',
    ],
    ['not base64url', () => '{"signatures":[{"protected":"e30=","signature":"+/"}]}', 'not base64url'],
  ])('refuses a file with %s as malformed', async (_name, make, message) => {
    const sig = make(await signRegistryDetached(bytes, [k2026.signer]));
    const verdict = await verifyRegistrySignature(bytes, sig, [k2026.trusted]);
    expect(verdict).toMatchObject({ ok: false, reason: 'malformed' });
    expect(!verdict.ok && verdict.message).toContain(message);
  });

  it('refuses to write more than 8 signatures', async () => {
    const signers = Array.from({ length: 9 }, (_, i) => ({
      kid: `k${i}`,
      privateKey: k2026.signer.privateKey,
    }));
    await expect(signRegistryDetached(bytes, signers)).rejects.toThrow('at most 8 signatures');
  });
});
