import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { readMirrorStatus } from '../src/registry/mirror-status.ts';
import { forgetSnapshot } from '../src/registry/snapshot-memory.ts';
import { readCurrentSnapshot, registryVersionKey } from '../src/registry/snapshot-store.ts';
import { GIT_SCENARIOS, GITHUB_TEST_TOKEN, PRIVATE_GIT_PATH } from './support/scenarios.ts';
import {
  gitBytes,
  gitRequests,
  gitUrl,
  publishGitFile,
  request,
  resetWorkerState,
  runCron,
} from './support/worker-harness.ts';

beforeEach(resetWorkerState);

const from = (path: string) => ({ REGISTRY_GIT_URL: gitUrl(path) });

async function currentVersion(): Promise<number | undefined> {
  return (await readCurrentSnapshot(env.REGISTRY_KV))?.meta.version;
}

async function lastResult(): Promise<string | undefined> {
  return (await readMirrorStatus(env.REGISTRY_KV))?.lastResult;
}

describe('the Git mirror (Cron Trigger)', () => {
  it('200: stores the exact bytes under their version and as current', async () => {
    await runCron();
    expect(await lastResult()).toBe('updated');
    const stored = await env.REGISTRY_KV.get(registryVersionKey(2), { type: 'arrayBuffer' });
    const bytes = await gitBytes(GIT_SCENARIOS.current);
    expect(new Uint8Array(stored ?? new ArrayBuffer(0))).toEqual(bytes);
    expect(await currentVersion()).toBe(2);
  });

  it('304: sends If-None-Match with the Git ETag and keeps the snapshot', async () => {
    await runCron();
    const storedAt = (await readCurrentSnapshot(env.REGISTRY_KV))?.meta.storedAt;
    const before = (await gitRequests(GIT_SCENARIOS.current)).length;
    await runCron();
    const requests = await gitRequests(GIT_SCENARIOS.current);
    expect(requests.length - before).toBe(1);
    expect(requests.at(-1)?.ifNoneMatch).toMatch(/^W\/"[0-9a-f]{40}"$/);
    expect(await lastResult()).toBe('not-modified');
    expect((await readCurrentSnapshot(env.REGISTRY_KV))?.meta.storedAt).toBe(storedAt);
  });

  it('moves forward to a newer version, and serves it at once', async () => {
    await runCron();
    await runCron(from(GIT_SCENARIOS.newer));
    expect(await currentVersion()).toBe(3);
    const response = await request('/api/plugins');
    expect(response.headers.get('x-registry-version')).toBe('3');
    expect(await env.REGISTRY_KV.get(registryVersionKey(2), { type: 'arrayBuffer' })).not.toBeNull();
  });

  it('never replaces a newer version with an older one', async () => {
    await runCron(from(GIT_SCENARIOS.newer));
    await runCron(from(GIT_SCENARIOS.older));
    expect(await currentVersion()).toBe(3);
    const status = await readMirrorStatus(env.REGISTRY_KV);
    expect(status?.lastResult).toBe('rejected-older');
    expect(status?.lastMessage).toContain('older than the current 3');
    forgetSnapshot(env.REGISTRY_KV);
    expect((await request('/api/plugins')).headers.get('x-registry-version')).toBe('3');
  });

  it('429: keeps serving the current snapshot, records the failure and waits for the retry time', async () => {
    await runCron();
    await runCron(from(GIT_SCENARIOS.rateLimited));
    const status = await readMirrorStatus(env.REGISTRY_KV);
    expect(status?.lastResult).toBe('rate-limited');
    expect(status?.retryAt).toBeGreaterThan(Date.now() + 100_000);
    expect(await currentVersion()).toBe(2);
    expect((await request('/api/plugins')).status).toBe(200);
    const before = (await gitRequests(GIT_SCENARIOS.rateLimited)).length;
    await runCron(from(GIT_SCENARIOS.rateLimited));
    expect((await gitRequests(GIT_SCENARIOS.rateLimited)).length).toBe(before);
    expect((await readMirrorStatus(env.REGISTRY_KV))?.consecutiveFailures).toBe(1);
  });

  it.each([
    ['500', GIT_SCENARIOS.serverError, 'HTTP 500'],
    ['404', GIT_SCENARIOS.missing, 'HTTP 404'],
    ['an HTML page', GIT_SCENARIOS.garbage, 'registry_invalid_json'],
    ['a document that breaks the schema', GIT_SCENARIOS.schemaInvalid, 'registry_invalid'],
    ['an expired registry', GIT_SCENARIOS.expired, 'registry_expired'],
  ])('%s: keeps the current snapshot and records why', async (_name, path, reason) => {
    await runCron();
    await runCron(from(path));
    const status = await readMirrorStatus(env.REGISTRY_KV);
    expect(status?.lastResult).toBe('failed');
    expect(status?.lastMessage).toContain(reason);
    expect(status?.lastSuccessAt).toBeDefined();
    expect(await currentVersion()).toBe(2);
    const response = await request('/api/plugins');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-registry-version')).toBe('2');
  });

  it('refuses an unreachable Git host without throwing', async () => {
    await runCron({ REGISTRY_GIT_URL: 'http://127.0.0.1:9/registry.json' });
    expect(await lastResult()).toBe('failed');
  });

  it('sends GITHUB_TOKEN when set', async () => {
    const privateUrl = { REGISTRY_GIT_URL: `${env.TEST_CONTROL_PLANE_URL}${PRIVATE_GIT_PATH}` };
    await runCron(privateUrl);
    expect(await lastResult()).toBe('failed');
    await runCron({ ...privateUrl, GITHUB_TOKEN: GITHUB_TEST_TOKEN });
    expect(await lastResult()).toBe('updated');
    expect(await currentVersion()).toBe(6);
  });

  it('refuses the signed envelope of earlier releases, keyed or not, and everything when the keys var is unreadable', async () => {
    const envelope = `/envelope-${crypto.randomUUID()}/registry.json`;
    await publishGitFile(envelope, '{"protected":"e30","payload":"e30","signature":"AA"}');
    await runCron(from(envelope));
    expect((await readMirrorStatus(env.REGISTRY_KV))?.lastMessage).toContain('registry_signature_invalid');
    await runCron({ ...from(GIT_SCENARIOS.signed), REGISTRY_TRUSTED_KEYS: 'not json' });
    expect(await lastResult()).toBe('failed');
    expect(await currentVersion()).toBeUndefined();
  });
});
