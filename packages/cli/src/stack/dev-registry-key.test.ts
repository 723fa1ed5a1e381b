import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GitHost, startGitHost } from '@cartae/local-git-host';
import { verifyRegistrySignature } from '@cartae/marketplace-core';
import { afterEach, describe, expect, it } from 'vitest';
import { DEV_REGISTRY_KEY_ID, devRegistryKey } from './dev-registry-key.ts';
import { LOCAL_SIGNATURE_PATH, publishLocalRegistrySignature } from './local-registry-signature.ts';

const repoRoot = new URL('../../../../', import.meta.url).pathname;
const dirs: string[] = [];
let git: GitHost | undefined;
afterEach(async () => {
  await git?.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'cartae-dev-key-'));
  dirs.push(dir);
  return dir;
};

describe('the local stack signs its registry with a development key', () => {
  it('makes the key once (private half mode 0600) and reads the same key on the next start', async () => {
    const dir = dataDir();
    const first = await devRegistryKey(dir);
    expect(first.publicKey.kid).toBe(DEV_REGISTRY_KEY_ID);
    expect(first.privateKeyPath).toBe(join(dir, `${DEV_REGISTRY_KEY_ID}.private.jwk`));
    expect(statSync(first.privateKeyPath).mode & 0o777).toBe(0o600);
    const again = await devRegistryKey(dir);
    expect(again.publicKey).toEqual(first.publicKey);
  });

  it('serves /registry.json.sig for the exact bytes the Git host serves, and writes nothing in registry/', async () => {
    const key = await devRegistryKey(dataDir());
    git = await startGitHost({ root: join(repoRoot, 'registry') });
    const before = await readFile(join(repoRoot, 'registry', 'registry.json'));
    await publishLocalRegistrySignature(git, repoRoot, key);
    const served = new Uint8Array(await (await fetch(`${git.url}/registry.json`)).arrayBuffer());
    const signature = await (await fetch(`${git.url}${LOCAL_SIGNATURE_PATH}`)).text();
    expect(await verifyRegistrySignature(served, signature, [key.publicKey])).toMatchObject({
      ok: true,
      kid: DEV_REGISTRY_KEY_ID,
    });
    expect(await readFile(join(repoRoot, 'registry', 'registry.json'))).toEqual(before);
    await expect(readFile(join(repoRoot, 'registry', 'registry.json.sig'))).rejects.toThrow(/ENOENT/);
  });
});
