import { decodeBase64Url, encodeBase64Url } from './base64url.ts';
import { MarketplaceError } from './marketplace-error.ts';
import { err, ok, type Result } from './result.ts';

/**
 * @deprecated The signed format before detached signatures: a JWS envelope served INSTEAD of the
 * registry, which an app without keys cannot read, so signing could never be turned on for an
 * installed fleet. Publish the plain registry with a detached signature file next to it
 * (`registry-signature-file.ts`, `signRegistryDetached`, `openSignedRegistry`). The resolver no
 * longer accepts envelopes; `openRegistry` still reads them for the Worker's mirror and the admin's
 * Test until they move to the detached file.
 *
 * A signed registry is a flattened JWS JSON serialisation (RFC 7515 §7.2.2):
 * `{ "protected": b64url({"alg":"EdDSA","kid":…,"typ":"cartae-registry+json"}), "payload": b64url(registry JSON bytes), "signature": b64url(Ed25519 sig) }`.
 * Both sources serve these exact bytes; the signature covers the registry bytes, so no JSON
 * canonicalisation is involved.
 */
export interface RegistryJws {
  readonly protected: string;
  readonly payload: string;
  readonly signature: string;
}

/** A public key an app trusts, shipped inside the app. `x` is the raw 32-byte Ed25519 key, base64url. */
export interface TrustedRegistryKey {
  readonly kid: string;
  readonly x: string;
}

export const REGISTRY_JWS_TYPE = 'cartae-registry+json';

/** True when a parsed JSON value has the shape of a flattened JWS (the deprecated envelope). */
export function isRegistryJws(value: unknown): value is RegistryJws {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.protected === 'string' && typeof v.payload === 'string' && typeof v.signature === 'string';
}

function subtleOrDefault(subtle?: SubtleCrypto): SubtleCrypto {
  const s = subtle ?? globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto (crypto.subtle) is required to verify signed registries');
  return s;
}

/**
 * Verifies a JWS envelope against the trusted keys and returns the payload bytes.
 * @deprecated Envelopes are being replaced by detached signatures: `verifyRegistrySignature`.
 *
 * @example
 * const r = await verifyRegistryJws(jws, [{ kid: '2026-01', x: 'base64url…' }]);
 * if (r.ok) JSON.parse(new TextDecoder().decode(r.value.payload));
 */
export async function verifyRegistryJws(
  jws: RegistryJws,
  keys: readonly TrustedRegistryKey[],
  subtle?: SubtleCrypto,
): Promise<Result<{ payload: Uint8Array<ArrayBuffer>; kid: string }, MarketplaceError>> {
  const fail = (message: string) => err(new MarketplaceError('registry_signature_invalid', message));
  const headerBytes = decodeBase64Url(jws.protected);
  const payload = decodeBase64Url(jws.payload);
  const signature = decodeBase64Url(jws.signature);
  if (!headerBytes || !payload || !signature) return fail('signed registry is not valid base64url');
  let header: { alg?: unknown; kid?: unknown; crit?: unknown };
  try {
    header = JSON.parse(new TextDecoder().decode(headerBytes));
  } catch {
    return fail('signed registry has an unreadable protected header');
  }
  if (header.alg !== 'EdDSA')
    return fail(`signed registry uses algorithm "${String(header.alg)}"; only EdDSA is accepted`);
  if (header.crit !== undefined)
    return fail('signed registry has critical header parameters this app does not understand');
  const key = keys.find((k) => k.kid === header.kid);
  if (!key) return fail(`signed registry names key "${String(header.kid)}", which this app does not trust`);
  const raw = decodeBase64Url(key.x);
  if (raw?.length !== 32) return fail(`trusted key "${key.kid}" is not a 32-byte Ed25519 key`);
  const s = subtleOrDefault(subtle);
  try {
    const cryptoKey = await s.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
    const signingInput = new TextEncoder().encode(`${jws.protected}.${jws.payload}`);
    const valid = await s.verify({ name: 'Ed25519' }, cryptoKey, signature, signingInput);
    if (!valid) return fail(`registry signature does not match key "${key.kid}"`);
  } catch (cause) {
    return err(
      new MarketplaceError('registry_signature_invalid', 'registry signature could not be checked', {
        cause,
      }),
    );
  }
  return ok({ payload, kid: key.kid });
}

/**
 * Signs registry bytes with an Ed25519 private key, producing a JWS envelope.
 * @deprecated Apps without keys cannot read an envelope: sign with `signRegistryDetached` and serve
 * the registry unchanged with its `.sig` file next to it.
 *
 * @example
 * const { privateKey } = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
 * const text = await signRegistry(new TextEncoder().encode(json), { kid: '2026-01', privateKey });
 */
export async function signRegistry(
  registryBytes: Uint8Array<ArrayBuffer>,
  signer: { kid: string; privateKey: CryptoKey },
  subtle?: SubtleCrypto,
): Promise<string> {
  const header = { alg: 'EdDSA', kid: signer.kid, typ: REGISTRY_JWS_TYPE };
  const protectedPart = encodeBase64Url(new TextEncoder().encode(JSON.stringify(header)));
  const payloadPart = encodeBase64Url(registryBytes);
  const signature = await subtleOrDefault(subtle).sign(
    { name: 'Ed25519' },
    signer.privateKey,
    new TextEncoder().encode(`${protectedPart}.${payloadPart}`),
  );
  return `${JSON.stringify({ protected: protectedPart, payload: payloadPart, signature: encodeBase64Url(new Uint8Array(signature)) }, null, 2)}\n`;
}

/** Exports the public half of an Ed25519 key pair as a {@link TrustedRegistryKey}. */
export async function exportTrustedKey(
  kid: string,
  publicKey: CryptoKey,
  subtle?: SubtleCrypto,
): Promise<TrustedRegistryKey> {
  const raw = await subtleOrDefault(subtle).exportKey('raw', publicKey);
  return { kid, x: encodeBase64Url(new Uint8Array(raw as ArrayBuffer)) };
}
