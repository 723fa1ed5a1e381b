import { openRegistry, openSignedRegistry, type PluginEntry } from '@cartae/marketplace-core';
import type { WorkerSettings } from '../worker-settings.ts';

/** The mirror's verdict on a registry and its signature file, before anything is stored. */
export type MirroredRegistryVerdict =
  | {
      readonly ok: true;
      readonly version: number;
      readonly signedBy: string | undefined;
      /** The entries just parsed, so the mirror prepares per-plugin answers without parsing again. */
      readonly plugins: readonly PluginEntry[];
    }
  | { readonly ok: false; readonly message: string };

/**
 * Judges registry bytes and the signature file Git served next to them (`undefined`: none) as an
 * app would. With REGISTRY_TRUSTED_KEYS, exactly as an app that ships those keys does
 * (`openSignedRegistry`: a valid signature by a trusted key over these exact bytes, then UTF-8,
 * schema and expiry); without keys, as an app without keys does (`openRegistry`), the signature
 * file being stored as found, unchecked. Never throws.
 *
 * @example
 * const verdict = await openMirroredRegistry(bytes, signatureText, settings, Date.now());
 * if (!verdict.ok) console.log(verdict.message); // "Git's registry was refused (registry_signature_invalid): …"
 */
export async function openMirroredRegistry(
  bytes: ArrayBuffer,
  signature: string | undefined,
  settings: WorkerSettings,
  now: number,
): Promise<MirroredRegistryVerdict> {
  const { trustedKeys, urlPolicy } = settings;
  let opened: Awaited<ReturnType<typeof openRegistry>>;
  if (trustedKeys.length > 0) {
    opened = await openSignedRegistry(new Uint8Array(bytes), signature, { now, urlPolicy, trustedKeys });
  } else {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      return { ok: false, message: 'Git answered bytes that are not UTF-8 text' };
    }
    opened = await openRegistry(text, { now, urlPolicy });
  }
  if (!opened.ok) {
    return {
      ok: false,
      message: `Git's registry was refused (${opened.error.code}): ${opened.error.message}`,
    };
  }
  const { registry, signedBy } = opened.value;
  return { ok: true, version: registry.version, signedBy, plugins: registry.plugins };
}
