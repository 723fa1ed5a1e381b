import { beforeEach, describe, expect, it } from 'vitest';
import { GIT_SCENARIOS } from './support/scenarios.ts';
import { gitUrl, request, resetWorkerState, runCron } from './support/worker-harness.ts';

beforeEach(resetWorkerState);

interface Health {
  status: string;
  registry: { version: number; etag: string; storedAt: string } | null;
  lastSync: {
    at: string;
    result: string;
    message: string;
    lastSuccessAt: string | null;
    consecutiveFailures: number;
  } | null;
  config: { version: number | null; ageSeconds: number } | null;
  usage: {
    state: string;
    message: string | null;
    lastFlush: unknown;
    shards: { shard: number; state: string }[];
  };
  problems: string[];
}

const health = async (overrides = {}) => {
  const response = await request('/health', {}, overrides);
  return { response, body: (await response.json()) as Health };
};

describe('GET /health', () => {
  it('is unavailable (503) before anything was mirrored', async () => {
    const { response, body } = await health();
    expect(response.status).toBe(503);
    expect(body).toMatchObject({ status: 'unavailable', registry: null, lastSync: null, config: null });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('reports the registry version, the last sync and the config age', async () => {
    await runCron();
    await request('/api/config');
    const { response, body } = await health();
    expect(response.status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.registry?.version).toBe(2);
    expect(body.registry?.etag).toMatch(/^"r2-/);
    expect(body.lastSync).toMatchObject({ result: 'updated', consecutiveFailures: 0 });
    expect(Date.parse(body.lastSync?.at ?? '')).toBeGreaterThan(0);
    expect(body.config?.version).toBe(7);
    expect(body.config?.ageSeconds).toBeGreaterThanOrEqual(0);
  });

  it('is degraded after a failed sync, and says why', async () => {
    await runCron();
    await runCron({ REGISTRY_GIT_URL: gitUrl(GIT_SCENARIOS.serverError) });
    const { response, body } = await health();
    expect(response.status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.lastSync).toMatchObject({ result: 'failed', consecutiveFailures: 1 });
    expect(body.lastSync?.message).toContain('HTTP 500');
    expect(body.lastSync?.lastSuccessAt).not.toBeNull();
  });

  it('lists misconfigured vars as problems', async () => {
    await runCron();
    const { body } = await health({ CONFIG_CACHE_SECONDS: 'soon', REGISTRY_GIT_URL: 'ftp://x' });
    expect(body.status).toBe('degraded');
    expect(body.problems.join('\n')).toContain('CONFIG_CACHE_SECONDS');
    expect(body.problems.join('\n')).toContain('REGISTRY_GIT_URL');
  });

  it('reports usage telemetry: each shard idle before any delivery, and never changes status', async () => {
    await runCron();
    const { body } = await health();
    expect(body.status).toBe('ok');
    expect(body.usage).toMatchObject({ state: 'idle', message: null, lastFlush: null });
    expect(body.usage.shards.map((s) => s.shard)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('says telemetry flush is disabled without SUPABASE_SERVICE_ROLE_KEY, and stays ok', async () => {
    await runCron();
    const { body } = await health({ SUPABASE_SERVICE_ROLE_KEY: '' });
    expect(body.status).toBe('ok');
    expect(body.usage).toMatchObject({
      state: 'disabled',
      message: 'telemetry flush disabled: SUPABASE_SERVICE_ROLE_KEY is not set',
      shards: [],
    });
  });
});
