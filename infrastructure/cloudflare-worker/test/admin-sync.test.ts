import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { readCurrentSnapshot } from '../src/registry/snapshot-store.ts';
import { ADMIN_TEST_TOKEN, GIT_SCENARIOS } from './support/scenarios.ts';
import { gitUrl, request, resetWorkerState, runCron } from './support/worker-harness.ts';

beforeEach(resetWorkerState);

const sync = (authorization?: string, overrides = {}) =>
  request(
    '/admin/sync',
    { method: 'POST', headers: authorization === undefined ? {} : { authorization } },
    overrides,
  );

describe('POST /admin/sync', () => {
  it('mirrors now with the admin token', async () => {
    const response = await sync(`Bearer ${ADMIN_TEST_TOKEN}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ result: 'updated', version: 2 });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect((await readCurrentSnapshot(env.REGISTRY_KV))?.meta.version).toBe(2);
    const again = await sync(`bearer ${ADMIN_TEST_TOKEN}`);
    expect(await again.json()).toMatchObject({ result: 'not-modified' });
  });

  it('refuses a missing, wrong or malformed token with 401', async () => {
    for (const header of [
      undefined,
      'Bearer wrong',
      `Bearer ${ADMIN_TEST_TOKEN}x`,
      ADMIN_TEST_TOKEN,
      'Basic abc',
      'Bearer ',
    ]) {
      const response = await sync(header);
      expect(response.status, String(header)).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
    expect(await readCurrentSnapshot(env.REGISTRY_KV)).toBeUndefined();
  });

  it('is disabled when ADMIN_TOKEN is not set', async () => {
    expect((await sync('Bearer ', { ADMIN_TOKEN: '' })).status).toBe(401);
    expect((await sync('Bearer undefined', { ADMIN_TOKEN: undefined })).status).toBe(401);
  });

  it('ignores a retry time and reports failures with a matching status', async () => {
    await runCron({ REGISTRY_GIT_URL: gitUrl(GIT_SCENARIOS.rateLimited) });
    const limited = await sync(`Bearer ${ADMIN_TEST_TOKEN}`, {
      REGISTRY_GIT_URL: gitUrl(GIT_SCENARIOS.rateLimited),
    });
    expect(limited.status).toBe(503);
    expect(await limited.json()).toMatchObject({ result: 'rate-limited' });
    const broken = await sync(`Bearer ${ADMIN_TEST_TOKEN}`, {
      REGISTRY_GIT_URL: gitUrl(GIT_SCENARIOS.serverError),
    });
    expect(broken.status).toBe(502);
    await sync(`Bearer ${ADMIN_TEST_TOKEN}`, { REGISTRY_GIT_URL: gitUrl(GIT_SCENARIOS.newer) });
    const older = await sync(`Bearer ${ADMIN_TEST_TOKEN}`, { REGISTRY_GIT_URL: gitUrl(GIT_SCENARIOS.older) });
    expect(older.status).toBe(409);
    expect(await older.json()).toMatchObject({ result: 'rejected-older', version: 3 });
  });

  it('rejects an oversize body with 413 before looking at the token', async () => {
    const response = await request('/admin/sync', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TEST_TOKEN}` },
      body: 'x'.repeat(4096),
    });
    expect(response.status).toBe(413);
  });
});
