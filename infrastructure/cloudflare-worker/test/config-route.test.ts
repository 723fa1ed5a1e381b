import { parseControlPlaneSnapshot, readMarketplaceConfig } from '@cartae/marketplace-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_SCENARIOS, GOOD_CONFIG_DOCUMENT, GOOD_CONFIG_UPDATED_AT } from './support/scenarios.ts';
import {
  controlPlaneRequestCount,
  controlPlaneUrl,
  request,
  resetWorkerState,
} from './support/worker-harness.ts';

beforeEach(resetWorkerState);

const withControlPlane = (scenario: string, more: Record<string, string> = {}) => ({
  SUPABASE_URL: controlPlaneUrl(scenario),
  ...more,
});

describe('GET /api/config', () => {
  it('returns the control plane config as { config, version, updatedAt }, untouched', async () => {
    const response = await request('/api/config');
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({ config: GOOD_CONFIG_DOCUMENT, version: 7, updatedAt: GOOD_CONFIG_UPDATED_AT });
    const snapshot = parseControlPlaneSnapshot(body);
    expect(snapshot.ok && readMarketplaceConfig(snapshot.value.document).ok).toBe(true);
    expect(response.headers.get('x-config-version')).toBe('7');
    expect(response.headers.get('x-config-stale')).toBeNull();
  });

  it('reads the real control plane: the project migrations behind the local Supabase stand-in', async () => {
    const { env } = await import('cloudflare:test');
    const response = await request(
      '/api/config',
      {},
      {
        SUPABASE_URL: env.TEST_SUPABASE_STAND_IN_URL,
        SUPABASE_ANON_KEY: env.TEST_SUPABASE_STAND_IN_ANON_KEY,
      },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { config: { type: string }; version: number; updatedAt: string };
    expect(body.config.type).toBe('git');
    expect(body.version).toBeGreaterThanOrEqual(1);
    expect(Date.parse(body.updatedAt)).toBeGreaterThan(0);
    expect(response.headers.get('x-config-version')).toBe(String(body.version));
  });

  it('reads a jsonb object answer too', async () => {
    const response = await request('/api/config', {}, withControlPlane(CONFIG_SCENARIOS.goodObject));
    expect(await response.json()).toMatchObject({ version: 8, config: { canaryPercent: 50 } });
  });

  it('sends an ETag and a short max-age, and answers 304 to If-None-Match', async () => {
    const overrides = withControlPlane(CONFIG_SCENARIOS.good, { CONFIG_CACHE_SECONDS: '15' });
    const response = await request('/api/config', {}, overrides);
    expect(response.headers.get('cache-control')).toBe('public, max-age=15');
    const etag = response.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"c7-[0-9a-f]{32}"$/);
    const again = await request('/api/config', { headers: { 'if-none-match': etag } }, overrides);
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('caches the answer at the edge for CONFIG_CACHE_SECONDS', async () => {
    const overrides = withControlPlane(CONFIG_SCENARIOS.counted, { CONFIG_CACHE_SECONDS: '15' });
    const before = await controlPlaneRequestCount(CONFIG_SCENARIOS.counted);
    const first = await request('/api/config', {}, overrides);
    const second = await request('/api/config', {}, overrides);
    const third = await request(
      '/api/config',
      { headers: { 'if-none-match': first.headers.get('etag') ?? '' } },
      overrides,
    );
    expect([first.status, second.status, third.status]).toEqual([200, 200, 304]);
    expect(await second.json()).toMatchObject({ version: 7 });
    expect((await controlPlaneRequestCount(CONFIG_SCENARIOS.counted)) - before).toBe(1);
  });

  it('concurrent cache misses share one Supabase read (the control plane load does not grow with the fleet)', async () => {
    const overrides = withControlPlane(CONFIG_SCENARIOS.slowCounted, { CONFIG_CACHE_SECONDS: '15' });
    const before = await controlPlaneRequestCount(CONFIG_SCENARIOS.slowCounted);
    const answers = await Promise.all(Array.from({ length: 8 }, () => request('/api/config', {}, overrides)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    for (const answer of answers) expect(await answer.json()).toMatchObject({ version: 7 });
    expect((await controlPlaneRequestCount(CONFIG_SCENARIOS.slowCounted)) - before).toBe(1);
  });

  it('serves the last good copy from KV with x-config-stale and its age when Supabase fails', async () => {
    expect((await request('/api/config')).status).toBe(200);
    for (const scenario of [CONFIG_SCENARIOS.down, CONFIG_SCENARIOS.garbage, CONFIG_SCENARIOS.invalid]) {
      const stale = await request('/api/config', {}, withControlPlane(scenario));
      expect(stale.status, scenario).toBe(200);
      expect(stale.headers.get('x-config-stale')).toBe('1');
      expect(Number(stale.headers.get('age'))).toBeGreaterThanOrEqual(0);
      expect(stale.headers.get('cache-control')).toBe('no-cache');
      expect(await stale.json()).toEqual({
        config: GOOD_CONFIG_DOCUMENT,
        version: 7,
        updatedAt: GOOD_CONFIG_UPDATED_AT,
      });
    }
  });

  it('never serves an invalid document: 503 when there is no good copy', async () => {
    for (const scenario of [CONFIG_SCENARIOS.down, CONFIG_SCENARIOS.garbage, CONFIG_SCENARIOS.invalid]) {
      const response = await request('/api/config', {}, withControlPlane(scenario));
      expect(response.status, scenario).toBe(503);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('config_unavailable');
    }
  });

  it('reports a missing anon key as unavailable, without calling Supabase', async () => {
    const response = await request('/api/config', {}, { SUPABASE_ANON_KEY: '' });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      'SUPABASE_ANON_KEY',
    );
  });

  it('refuses a plain-http SUPABASE_URL outside development', async () => {
    const response = await request('/api/config', {}, { ALLOW_LOOPBACK_HTTP: 'false' });
    expect(response.status).toBe(503);
  });
});
