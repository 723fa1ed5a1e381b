import { MarketplaceError } from './marketplace-error.ts';
import { type OpenedRegistry, openRegistry } from './open-registry.ts';
import type { RegistryCheckOptions } from './parse-registry.ts';
import { REGISTRY_LIMITS } from './registry-document.ts';
import type { TrustedRegistryKey } from './registry-signature.ts';
import { type RegistrySignatureVerdict, verifyRegistrySignature } from './registry-signature-detached.ts';
import { err, ok, type Result } from './result.ts';

export interface OpenSignedRegistryOptions extends RegistryCheckOptions {
  /** The public keys the app ships; a registry is accepted when one of them signed it. */
  readonly trustedKeys: readonly TrustedRegistryKey[];
  readonly subtle?: SubtleCrypto;
}

/**
 * The refusal of a registry whose signature was not accepted, as every reader words it:
 * code `registry_signature_invalid`, the reason first (`missing`, `malformed`, `untrusted`,
 * `invalid`), then what was found.
 *
 * @example
 * registrySignatureError(verdict).message; // 'registry signature invalid: signature by key "k1" does not match these registry bytes'
 */
export function registrySignatureError(
  verdict: Extract<RegistrySignatureVerdict, { ok: false }>,
  details: { source?: string } = {},
): MarketplaceError {
  const hint =
    verdict.reason === 'missing' ? '; this app only accepts registries signed by a key it ships' : '';
  return new MarketplaceError(
    'registry_signature_invalid',
    `registry signature ${verdict.reason}: ${verdict.message}${hint}`,
    details,
  );
}

/**
 * The trust pipeline of an app that ships keys, over a registry's exact bytes and its detached
 * signature file (`undefined` when the source has none): size, signature (before any parsing),
 * UTF-8, JSON, schema, expiry and rollback protection. Never throws.
 *
 * @example
 * const r = await openSignedRegistry(registryBytes, sigText, { now: Date.now(), trustedKeys, minVersion: 41 });
 * if (r.ok) r.value.signedBy; // 'release-2026'
 */
export async function openSignedRegistry(
  registryBytes: Uint8Array,
  signatureText: string | undefined,
  options: OpenSignedRegistryOptions,
): Promise<Result<OpenedRegistry, MarketplaceError>> {
  if (registryBytes.length > REGISTRY_LIMITS.maxBytes) {
    return err(
      new MarketplaceError('registry_too_large', `registry is larger than ${REGISTRY_LIMITS.maxBytes} bytes`),
    );
  }
  const verdict = await verifyRegistrySignature(registryBytes, signatureText, options.trustedKeys, {
    ...(options.subtle ? { subtle: options.subtle } : {}),
  });
  if (!verdict.ok) return err(registrySignatureError(verdict));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(registryBytes);
  } catch (cause) {
    return err(new MarketplaceError('registry_invalid_json', 'registry is not valid UTF-8', { cause }));
  }
  const { trustedKeys: _keys, subtle: _subtle, ...checks } = options;
  const opened = await openRegistry(text, checks);
  if (!opened.ok) {
    if (opened.error.code !== 'registry_signature_invalid') return opened;
    // Signed bytes holding the envelope of earlier releases: say what to publish instead.
    return err(
      new MarketplaceError(
        'registry_signature_invalid',
        'registry is a JWS envelope (the signed format before detached signatures); publish the plain registry with its detached signature file next to it',
      ),
    );
  }
  return ok({ registry: opened.value.registry, signedBy: verdict.kid });
}
