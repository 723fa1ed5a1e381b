import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitHost } from '@cartae/local-git-host';
import { signRegistryDetached } from '@cartae/marketplace-core';
import type { DevRegistryKey } from './dev-registry-key.ts';

/** Where the local Git host serves the registry and its detached signature file. */
export const LOCAL_REGISTRY_PATH = '/registry.json';
export const LOCAL_SIGNATURE_PATH = `${LOCAL_REGISTRY_PATH}.sig`;

/**
 * Signs the registry the local Git host serves (`registry/registry.json`, read as the host reads
 * it: UTF-8 text, served as its UTF-8 bytes) with the development key, and has the host serve the
 * signature at `/registry.json.sig`, as GitHub serves a committed `registry.json.sig`. Nothing is
 * written into the repository. Returns the registry text signed.
 *
 * @example
 * await publishLocalRegistrySignature(git, repoRoot, await devRegistryKey(dataDir));
 */
export async function publishLocalRegistrySignature(
  git: GitHost,
  repoRoot: string,
  key: DevRegistryKey,
): Promise<string> {
  const text = await readFile(join(repoRoot, 'registry', 'registry.json'), 'utf8');
  const signature = await signRegistryDetached(new TextEncoder().encode(text), [key.signer]);
  git.setFile(LOCAL_SIGNATURE_PATH, signature);
  return text;
}
