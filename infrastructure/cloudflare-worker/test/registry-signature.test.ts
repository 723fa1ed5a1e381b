import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { registryText } from '../../../tests/fixtures/registry-builder.ts';
import { readMirrorStatus } from '../src/registry/mirror-status.ts';
import { forgetSnapshot } from '../src/registry/snapshot-memory.ts';
import { readCurrentSnapshot } from '../src/registry/snapshot-store.ts';
import { ADMIN_TEST_TOKEN, GIT_SCENARIOS } from './support/scenarios.ts';
import {
  gitBytes,
  gitRequests,
  gitUrl,
  publishGitFile,
  request,
  resetWorkerState,
  runCron,
  signGitFile,
} from './support/worker-harness.ts';

beforeEach(resetWorkerState);

const keyed = (path: string) => ({
  REGISTRY_GIT_URL: gitUrl(path),
  REGISTRY_TRUSTED_KEYS: env.TEST_TRUSTED_KEYS,
});
const keyless = (path: string) => ({ REGISTRY_GIT_URL: gitUrl(path) });
const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());

interface RegistryHealth {
  version: number;
  signed: boolean;
  signedBy: string | null;
  signature: { etag: string | null; bytes: number; kids: string[] } | null;
}
const healthOf = async (overrides: Record<string, string>) =>
  ((await (await request('/health', {}, overrides)).json()) as { registry: RegistryHealth }).registry;

async function lastSync(): Promise<{ result?: string; message?: string }> {
  const status = await readMirrorStatus(env.REGISTRY_KV);
  return { result: status?.lastResult, message: status?.lastMessage };
}

describe('detached signatures: mirrored with the registry, served at /api/plugins.sig', () => {
  it('mirrors a registry with a valid .sig (trusted keys): both served byte for byte, /health names the key', async () => {
    const vars = keyed(GIT_SCENARIOS.signed);
    await runCron(vars);
    expect(await lastSync()).toEqual({
      result: 'updated',
      message: 'stored registry version 4 (signed by test-2026)',
    });
    const registry = await request('/api/plugins', {}, vars);
    expect(await bytesOf(registry)).toEqual(await gitBytes(GIT_SCENARIOS.signed));
    const signature = await request('/api/plugins.sig', {}, vars);
    expect(signature.status).toBe(200);
    expect(signature.headers.get('content-type')).toMatch(/^application\/json/);
    expect(signature.headers.get('etag')).toMatch(/^"s4-[0-9a-f]{32}"$/);
    expect(signature.headers.get('x-registry-version')).toBe('4');
    expect(await bytesOf(signature)).toEqual(await gitBytes(`${GIT_SCENARIOS.signed}.sig`));
    expect(await healthOf(vars)).toMatchObject({
      version: 4,
      signed: true,
      signedBy: 'test-2026',
      signature: { kids: ['test-2026'], etag: signature.headers.get('etag') },
    });
  });

  it('answers If-None-Match on the signature with 304, and exposes its ETag to browsers like /api/plugins', async () => {
    const vars = keyed(GIT_SCENARIOS.signed);
    const origin = { origin: 'https://app.example' };
    const first = await request('/api/plugins.sig', { headers: origin }, vars);
    const etag = first.headers.get('etag') ?? '';
    expect(first.headers.get('access-control-expose-headers')).toContain('ETag');
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    for (const ifNoneMatch of [etag, `W/${etag}`]) {
      const again = await request(
        '/api/plugins.sig',
        { headers: { ...origin, 'if-none-match': ifNoneMatch } },
        vars,
      );
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect(await again.text()).toBe('');
    }
    const registryEtag = (await request('/api/plugins', {}, vars)).headers.get('etag') ?? '';
    expect(registryEtag).not.toBe(etag);
    expect(
      (await request('/api/plugins.sig', { headers: { 'if-none-match': registryEtag } }, vars)).status,
    ).toBe(200);
    expect((await request('/api/plugins.sig', { method: 'POST' }, vars)).status).toBe(405);
  });

  it('with trusted keys, refuses a tampered registry (one byte changed, the old .sig) and keeps serving the signed one', async () => {
    await runCron(keyed(GIT_SCENARIOS.signed));
    await runCron(keyed(GIT_SCENARIOS.tampered));
    const sync = await lastSync();
    expect(sync.result).toBe('failed');
    expect(sync.message).toContain('registry_signature_invalid');
    expect(sync.message).toContain('signature by key "test-2026" does not match these registry bytes');
    expect(sync.message).toContain('kept version 4 (signed by test-2026)');
    forgetSnapshot(env.REGISTRY_KV);
    const vars = keyed(GIT_SCENARIOS.tampered);
    expect(await bytesOf(await request('/api/plugins', {}, vars))).toEqual(
      await gitBytes(GIT_SCENARIOS.signed),
    );
    expect(await bytesOf(await request('/api/plugins.sig', {}, vars))).toEqual(
      await gitBytes(`${GIT_SCENARIOS.signed}.sig`),
    );
    const health = await request('/health', {}, vars);
    expect(((await health.json()) as { status: string }).status).toBe('degraded');
    // The admin's sync says the same, as a failure.
    const admin = await request(
      '/admin/sync',
      { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TEST_TOKEN}` } },
      vars,
    );
    expect(admin.status).toBe(502);
    expect(((await admin.json()) as { message: string }).message).toContain('does not match');
  });

  it.each([
    ['an unsigned registry', GIT_SCENARIOS.current, 'registry signature missing'],
    [
      'a registry signed by a key it does not trust',
      GIT_SCENARIOS.strangerSigned,
      'registry signature untrusted',
    ],
  ])('with trusted keys, refuses %s and stores nothing', async (_name, path, reason) => {
    await runCron(keyed(path));
    const sync = await lastSync();
    expect(sync.result).toBe('failed');
    expect(sync.message).toContain(reason);
    expect(await readCurrentSnapshot(env.REGISTRY_KV)).toBeUndefined();
  });

  it('without keys, serves what Git has: the registry and its .sig unchecked, or a 404 JSON when there is none', async () => {
    await runCron(keyless(GIT_SCENARIOS.strangerSigned));
    const signed = keyless(GIT_SCENARIOS.strangerSigned);
    expect(await bytesOf(await request('/api/plugins.sig', {}, signed))).toEqual(
      await gitBytes(`${GIT_SCENARIOS.strangerSigned}.sig`),
    );
    expect(await healthOf(signed)).toMatchObject({
      signed: true,
      signedBy: null,
      signature: { kids: ['stranger'] },
    });
    expect((await lastSync()).message).toBe('stored registry version 4 (with its signature file)');

    await resetWorkerState();
    const unsigned = keyless(GIT_SCENARIOS.current);
    await runCron(unsigned);
    const missing = await request('/api/plugins.sig', {}, unsigned);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/json');
    expect(await missing.json()).toEqual({
      error: {
        code: 'signature_not_found',
        message: 'registry version 2 has no signature file: Git serves no registry.json.sig next to it',
      },
    });
    expect(await healthOf(unsigned)).toMatchObject({
      version: 2,
      signed: false,
      signedBy: null,
      signature: null,
    });
  });

  it('signing turned on for a running Worker: the new .sig is mirrored with the same registry bytes, conditionally', async () => {
    const path = `/rollout-${crypto.randomUUID()}/registry.json`;
    await publishGitFile(path, registryText({ version: 2 }));
    await runCron(keyless(path));
    expect((await request('/api/plugins.sig', {}, keyless(path))).status).toBe(404);

    await signGitFile(path);
    await runCron(keyless(path));
    expect(await lastSync()).toEqual({
      result: 'updated',
      message: 'stored the signature file of registry version 2 (with its signature file)',
    });
    // The registry itself was not downloaded again: Git answered 304 to its ETag.
    expect((await gitRequests(path)).at(-1)?.ifNoneMatch).toMatch(/^W\//);
    forgetSnapshot(env.REGISTRY_KV);
    expect(await bytesOf(await request('/api/plugins.sig', {}, keyless(path)))).toEqual(
      await gitBytes(`${path}.sig`),
    );
    await runCron(keyless(path));
    expect((await lastSync()).result).toBe('not-modified');
    expect((await gitRequests(`${path}.sig`)).at(-1)?.ifNoneMatch).toMatch(/^W\//);

    // Trusted keys set later: the stored pair is verified on the next run, without a new download.
    await runCron(keyed(path));
    expect(await lastSync()).toEqual({
      result: 'updated',
      message: 'verified registry version 2 (signed by test-2026)',
    });
    expect((await healthOf(keyed(path))).signedBy).toBe('test-2026');
  });

  it('never stores a new registry with an old signature when keyed; stores the pair once Git has both', async () => {
    const path = `/pair-${crypto.randomUUID()}/registry.json`;
    await publishGitFile(path, registryText({ version: 2 }));
    await signGitFile(path);
    await runCron(keyed(path));
    await publishGitFile(path, registryText({ version: 3 }));
    await runCron(keyed(path));
    expect((await lastSync()).message).toContain('kept version 2 (signed by test-2026)');
    expect((await readCurrentSnapshot(env.REGISTRY_KV))?.meta.version).toBe(2);
    await signGitFile(path);
    await runCron(keyed(path));
    expect(await lastSync()).toEqual({
      result: 'updated',
      message: 'stored registry version 3 (signed by test-2026)',
    });
    const stored = await readCurrentSnapshot(env.REGISTRY_KV);
    expect(stored?.signature).toBe(new TextDecoder().decode(await gitBytes(`${path}.sig`)));
  });
});
