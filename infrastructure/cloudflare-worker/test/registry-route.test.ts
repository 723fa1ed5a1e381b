import { beforeEach, describe, expect, it } from 'vitest';
import { GIT_SCENARIOS } from './support/scenarios.ts';
import { gitBytes, gitRequests, gitUrl, request, resetWorkerState } from './support/worker-harness.ts';

beforeEach(resetWorkerState);

describe('GET /api/plugins', () => {
  it('serves the exact bytes Git serves for the same version, with a strong ETag', async () => {
    const response = await request('/api/plugins');
    expect(response.status).toBe(200);
    const served = new Uint8Array(await response.arrayBuffer());
    expect(served).toEqual(await gitBytes(GIT_SCENARIOS.current));
    expect(response.headers.get('etag')).toMatch(/^"r2-[0-9a-f]{32}"$/);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-registry-version')).toBe('2');
  });

  it('sends Cache-Control with max-age, stale-while-revalidate and stale-if-error', async () => {
    const response = await request('/api/plugins');
    expect(response.headers.get('cache-control')).toBe(
      'public, max-age=60, stale-while-revalidate=300, stale-if-error=86400',
    );
    const tuned = await request(
      '/api/plugins',
      {},
      { REGISTRY_MAX_AGE_SECONDS: '30', REGISTRY_STALE_WHILE_REVALIDATE_SECONDS: '0' },
    );
    expect(tuned.headers.get('cache-control')).toBe('public, max-age=30, stale-if-error=86400');
  });

  it('answers 304 with the same validators to a matching If-None-Match, strong or weak', async () => {
    const first = await request('/api/plugins');
    const etag = first.headers.get('etag') ?? '';
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await request('/api/plugins', { headers: { 'if-none-match': ifNoneMatch } });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toContain('max-age=60');
      expect(await again.text()).toBe('');
    }
    const changed = await request('/api/plugins', { headers: { 'if-none-match': '"r1-stale"' } });
    expect(changed.status).toBe(200);
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await request('/api/plugins', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^"r2-/);
    expect(await response.text()).toBe('');
  });

  it.each(['/api/plugins', '/api/plugins/plugin-00001', '/api/config'])(
    'answers HEAD %s with the Content-Length, validators and caching of the GET',
    async (path) => {
      const get = await request(path);
      const bytes = (await get.arrayBuffer()).byteLength;
      const head = await request(path, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String(bytes));
      expect(get.headers.get('content-length')).toBe(String(bytes));
      for (const name of ['etag', 'cache-control', 'last-modified', 'content-type', 'x-registry-version']) {
        expect(head.headers.get(name), name).toBe(get.headers.get(name));
      }
      expect(await head.text()).toBe('');
    },
  );

  it('fetches Git once on a cold start, however many requests arrive together (single flight)', async () => {
    const url = gitUrl(GIT_SCENARIOS.slow);
    const before = (await gitRequests(GIT_SCENARIOS.slow)).length;
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => request('/api/plugins', {}, { REGISTRY_GIT_URL: url })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    const etags = new Set(responses.map((r) => r.headers.get('etag')));
    expect(etags.size).toBe(1);
    expect((await gitRequests(GIT_SCENARIOS.slow)).length - before).toBe(1);
  });

  it('answers 503 with a JSON error when KV is empty and Git fails, then stops asking Git for a while', async () => {
    const url = gitUrl(GIT_SCENARIOS.serverError);
    const response = await request('/api/plugins', {}, { REGISTRY_GIT_URL: url });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('registry_unavailable');
    expect(body.error.message).toContain('HTTP 500');
    const before = (await gitRequests(GIT_SCENARIOS.serverError)).length;
    expect((await request('/api/plugins', {}, { REGISTRY_GIT_URL: url })).status).toBe(503);
    expect((await gitRequests(GIT_SCENARIOS.serverError)).length).toBe(before);
  });
});
