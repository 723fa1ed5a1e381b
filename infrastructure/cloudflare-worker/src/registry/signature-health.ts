import { readRegistrySignatureFile } from '@cartae/marketplace-core';
import type { WorkerSettings } from '../worker-settings.ts';
import type { RegistrySnapshot } from './registry-snapshot.ts';

/** What /health says about the served registry's signature. */
export interface RegistrySignatureHealth {
  /** True when a signature file is served next to the registry (GET /api/plugins.sig). */
  readonly signed: boolean;
  /** The key that verified it with REGISTRY_TRUSTED_KEYS; null when none did (no keys, or unsigned). */
  readonly signedBy: string | null;
  readonly signature: {
    readonly etag: string | null;
    readonly bytes: number;
    /** The key ids the file names, as read (unverified unless `signedBy` is one of them). */
    readonly kids: readonly string[];
  } | null;
}

/**
 * The signature part of /health's `registry`, from the snapshot and the current settings: a kid
 * counts as verified only while it is still trusted. Pure.
 *
 * @example
 * registrySignatureHealth(snapshot, settings); // { signed: true, signedBy: 'release-2026', signature: { kids: ['release-2026'], … } }
 */
export function registrySignatureHealth(
  snapshot: RegistrySnapshot,
  settings: WorkerSettings,
): RegistrySignatureHealth {
  const { signature, meta } = snapshot;
  const trusted = settings.trustedKeys.some((key) => key.kid === meta.signedBy);
  if (signature === undefined) return { signed: false, signedBy: null, signature: null };
  const read = readRegistrySignatureFile(signature);
  return {
    signed: true,
    signedBy: trusted && meta.signedBy !== undefined ? meta.signedBy : null,
    signature: {
      etag: meta.signatureEtag ?? null,
      bytes: meta.signatureSize ?? 0,
      kids: read.ok ? read.signatures.map((s) => s.kid) : [],
    },
  };
}
