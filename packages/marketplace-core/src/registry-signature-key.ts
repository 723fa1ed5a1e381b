import { decodeBase64Url } from './base64url.ts';
import type { TrustedRegistryKey } from './registry-signature.ts';

/** A key id: what `kid` may hold, and the name `registry keygen` gives the key's files. */
export const REGISTRY_KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** WebCrypto, injected or the runtime's own. Throws when the runtime has none (a construction error). */
export function subtleOrDefault(subtle?: SubtleCrypto): SubtleCrypto {
  const s = subtle ?? globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto (crypto.subtle) is required to sign or verify registries');
  return s;
}

/**
 * Reads one trusted public key from untrusted input (a file, an environment variable, a flag):
 * `{ kid, x }` with `x` the raw 32-byte Ed25519 key in base64url — which a public JWK
 * (`{ kty: 'OKP', crv: 'Ed25519', kid, x }`) also is. Says what is wrong otherwise.
 *
 * @example
 * readTrustedKey({ kid: 'release-2026', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }); // { ok: true, value: { kid, x } }
 */
export function readTrustedKey(
  value: unknown,
):
  | { readonly ok: true; readonly value: TrustedRegistryKey }
  | { readonly ok: false; readonly error: string } {
  if (typeof value !== 'object' || value === null) return { ok: false, error: 'a key must be { kid, x }' };
  const { kid, x, crv } = value as Record<string, unknown>;
  if (typeof kid !== 'string' || !REGISTRY_KEY_ID_PATTERN.test(kid))
    return { ok: false, error: 'kid must be 1–64 letters, digits, ".", "_" or "-"' };
  if (crv !== undefined && crv !== 'Ed25519') return { ok: false, error: `key "${kid}" is not Ed25519` };
  if (typeof x !== 'string' || decodeBase64Url(x)?.length !== 32)
    return { ok: false, error: `key "${kid}": x must be a 32-byte Ed25519 public key in base64url` };
  return { ok: true, value: { kid, x } };
}

/** Imports a trusted key for `verify`; undefined when its `x` is not a 32-byte key. */
export async function importTrustedKey(
  key: TrustedRegistryKey,
  subtle: SubtleCrypto,
): Promise<CryptoKey | undefined> {
  const raw = decodeBase64Url(key.x);
  if (raw?.length !== 32) return undefined;
  return subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
}
