import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type RegistrySigner, readTrustedKey, type TrustedRegistryKey } from '@cartae/marketplace-core';
import { generateRegistryKey, readPrivateKey } from '../registry/registry-keys.ts';

/** The key id of every local stack's development signing key. */
export const DEV_REGISTRY_KEY_ID = 'cartae-local-dev';

/** A local stack's registry signing key: the signer, and the public half apps and the Worker trust. */
export interface DevRegistryKey {
  readonly signer: RegistrySigner;
  readonly publicKey: TrustedRegistryKey;
  /** `<dataDir>/cartae-local-dev.private.jwk` (mode 0600), usable with `registry sign --key`. */
  readonly privateKeyPath: string;
}

/**
 * The development registry signing key of a data folder: generated once (as `registry keygen`
 * does, so the CLI can sign with it too), then read back on every start, so apps built against a
 * local stack keep trusting it across restarts. Never in the repository: the data folder is the
 * stack's own (`.data/` by default, ignored by Git).
 *
 * @example
 * const key = await devRegistryKey('.data');
 * JSON.stringify([key.publicKey]); // '[{"kid":"cartae-local-dev","x":"…"}]' — REGISTRY_TRUSTED_KEYS
 */
export async function devRegistryKey(dataDir: string): Promise<DevRegistryKey> {
  const privateKeyPath = join(dataDir, `${DEV_REGISTRY_KEY_ID}.private.jwk`);
  const publicKeyPath = join(dataDir, `${DEV_REGISTRY_KEY_ID}.public.json`);
  if (!existsSync(privateKeyPath)) {
    const made = await generateRegistryKey(dataDir, DEV_REGISTRY_KEY_ID);
    const signer = await readPrivateKey(made.privateKeyPath);
    return { signer, publicKey: made.publicKey, privateKeyPath };
  }
  const signer = await readPrivateKey(privateKeyPath);
  // The public half is the private JWK's `x`: read it there, so a lost .public.json changes nothing.
  const jwk = JSON.parse(await readFile(privateKeyPath, 'utf8')) as { kid?: unknown; x?: unknown };
  const publicKey = readTrustedKey({ kid: jwk.kid, x: jwk.x });
  if (!publicKey.ok) {
    throw new Error(
      `${privateKeyPath}: ${publicKey.error}; delete it (and ${publicKeyPath}) to make a new one`,
    );
  }
  return { signer, publicKey: publicKey.value, privateKeyPath };
}
