import { MarketplaceError } from './marketplace-error.ts';
import { checkRegistryDocument, type RegistryCheckOptions } from './parse-registry.ts';
import { REGISTRY_LIMITS, type RegistryDocument } from './registry-document.ts';
import { isRegistryJws, type TrustedRegistryKey, verifyRegistryJws } from './registry-signature.ts';
import { err, type Result } from './result.ts';

export interface OpenRegistryOptions extends RegistryCheckOptions {
  /**
   * Public keys shipped in the app. When non-empty, only a registry signed by one of them is
   * accepted, whichever source served it.
   */
  readonly trustedKeys?: readonly TrustedRegistryKey[];
  readonly subtle?: SubtleCrypto;
}

export interface OpenedRegistry {
  readonly registry: RegistryDocument;
  /** Key id that signed it, when signed and verified. */
  readonly signedBy?: string;
}

/**
 * The whole trust pipeline for registry bytes from any source: size, JSON, signature (required
 * when the app ships keys), schema, expiry and rollback protection. Never throws.
 *
 * @example
 * const r = await openRegistry(await response.text(), { now: Date.now(), trustedKeys });
 * if (!r.ok) console.warn(r.error.code); // 'registry_signature_invalid', 'registry_expired', …
 */
export async function openRegistry(
  text: string,
  options: OpenRegistryOptions,
): Promise<Result<OpenedRegistry, MarketplaceError>> {
  if (text.length > REGISTRY_LIMITS.maxBytes) {
    return err(
      new MarketplaceError('registry_too_large', `registry is larger than ${REGISTRY_LIMITS.maxBytes} bytes`),
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const start = text.trimStart().slice(0, 1);
    const hint = start === '<' ? ' (it looks like an HTML page)' : '';
    return err(new MarketplaceError('registry_invalid_json', `registry is not valid JSON${hint}`, { cause }));
  }
  const keys = options.trustedKeys ?? [];
  let signedBy: string | undefined;
  if (isRegistryJws(value)) {
    if (keys.length === 0) {
      return err(
        new MarketplaceError(
          'registry_signature_invalid',
          'registry is signed but this app has no trusted keys to check it',
        ),
      );
    }
    const verified = await verifyRegistryJws(value, keys, options.subtle);
    if (!verified.ok) return verified;
    signedBy = verified.value.kid;
    try {
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(verified.value.payload));
    } catch (cause) {
      return err(
        new MarketplaceError('registry_invalid_json', 'signed registry payload is not valid JSON', { cause }),
      );
    }
  } else if (keys.length > 0) {
    return err(
      new MarketplaceError(
        'registry_unsigned',
        'registry is not signed, and this app only accepts signed registries',
      ),
    );
  }
  const checked = checkRegistryDocument(value, options);
  if (!checked.ok) return checked;
  return {
    ok: true,
    value: signedBy === undefined ? { registry: checked.value } : { registry: checked.value, signedBy },
  };
}
