import { beforeEach, describe, expect, it } from 'vitest';
import { GIT_SCENARIOS } from './support/scenarios.ts';
import { gitUrl, request, resetWorkerState } from './support/worker-harness.ts';

beforeEach(resetWorkerState);

describe('GET /api/plugins/:id', () => {
  it('serves one plugin entry of the current registry, with an ETag and 304', async () => {
    const response = await request('/api/plugins/plugin-00001');
    expect(response.status).toBe(200);
    const plugin = (await response.json()) as { id: string; name: string; sha256: string };
    expect(plugin).toMatchObject({ id: 'plugin-00001', name: 'Plugin 1' });
    expect(plugin.sha256).toMatch(/^[0-9a-f]{64}$/);
    const etag = response.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"r2-[0-9a-f]{32}-plugin-00001"$/);
    expect(response.headers.get('cache-control')).toContain('stale-if-error');
    const again = await request('/api/plugins/plugin-00001', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('answers 404 with a JSON error for an unknown id', async () => {
    const response = await request('/api/plugins/no-such-plugin');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({
      error: { code: 'plugin_not_found', message: 'no plugin "no-such-plugin" in registry version 2' },
    });
  });

  it('answers 400 for an id no plugin can have', async () => {
    for (const id of ['Upper', '-dash-first', 'a'.repeat(101), 'has%20space', '%E0%A4%A']) {
      const response = await request(`/api/plugins/${id}`);
      expect(response.status, id).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_plugin_id');
    }
  });

  it('finds entries in a registry mirrored with its signature', async () => {
    const overrides = {
      REGISTRY_GIT_URL: gitUrl(GIT_SCENARIOS.signed),
      REGISTRY_TRUSTED_KEYS: (await import('cloudflare:test')).env.TEST_TRUSTED_KEYS,
    };
    const response = await request('/api/plugins/plugin-00002', {}, overrides);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toBe('plugin-00002');
    expect(response.headers.get('x-registry-version')).toBe('4');
  });
});
