import { beforeEach, describe, expect, it } from 'vitest';
import { CONTROL_PLANE_TIMEOUT_MS } from '../src/config/fetch-control-plane-config.ts';
import { CONFIG_SCENARIOS, GOOD_CONFIG_DOCUMENT, GOOD_CONFIG_UPDATED_AT } from './support/scenarios.ts';
import { request, resetWorkerState, scriptedControlPlane } from './support/worker-harness.ts';

beforeEach(resetWorkerState);

/**
 * The resolver's default `configTimeoutMs` (packages/marketplace-resolver/src/resolver-options.ts):
 * an answer from the Worker that takes longer never reaches an app.
 */
const RESOLVER_CONFIG_TIMEOUT_MS = 4_000;

const GOOD_BODY = { config: GOOD_CONFIG_DOCUMENT, version: 7, updatedAt: GOOD_CONFIG_UPDATED_AT };

/** Stores a good copy in KV, as a healthy control plane leaves it. */
async function keepAGoodCopy(): Promise<void> {
  expect((await request('/api/config')).status).toBe(200);
}

/** 50 requests at once, then 50 one after another. */
async function burstThenTrickle(overrides: Record<string, string>): Promise<Response[]> {
  const burst = await Promise.all(Array.from({ length: 50 }, () => request('/api/config', {}, overrides)));
  const trickle: Response[] = [];
  for (let i = 0; i < 50; i++) trickle.push(await request('/api/config', {}, overrides));
  return [...burst, ...trickle];
}

const FAILURES = [
  ['answers 503', CONFIG_SCENARIOS.unavailable],
  ['hangs', CONFIG_SCENARIOS.hang],
] as const;

describe.each(FAILURES)('GET /api/config while the control plane %s', (_, failure) => {
  it('asks it once per CONFIG_CACHE_SECONDS, serving the stale copy from the edge cache', async () => {
    await keepAGoodCopy();
    const controlPlane = await scriptedControlPlane(failure);
    const overrides = { SUPABASE_URL: controlPlane.url, CONFIG_CACHE_SECONDS: '15' };
    const answers = await burstThenTrickle(overrides);
    expect(await controlPlane.requestCount()).toBe(1);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-config-stale')).toBe('1');
      expect(answer.headers.get('cache-control')).toBe('no-cache');
      expect(Number(answer.headers.get('age'))).toBeGreaterThanOrEqual(0);
    }
    expect(await answers[0]?.json()).toEqual(GOOD_BODY);
    expect(await answers[99]?.json()).toEqual(GOOD_BODY);
    const etag = answers[99]?.headers.get('etag') ?? '';
    const revalidated = await request('/api/config', { headers: { 'if-none-match': etag } }, overrides);
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('x-config-stale')).toBe('1');
    expect(await controlPlane.requestCount()).toBe(1);
  });

  it('asks it once per CONFIG_CACHE_SECONDS when there is no good copy, caching the 503 too', async () => {
    const controlPlane = await scriptedControlPlane(failure);
    const answers = await burstThenTrickle({ SUPABASE_URL: controlPlane.url, CONFIG_CACHE_SECONDS: '15' });
    expect(await controlPlane.requestCount()).toBe(1);
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('15');
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
    const body = (await answers[99]?.json()) as { error: { code: string } };
    expect(body.error.code).toBe('config_unavailable');
  });
});

describe('GET /api/config after the control plane fails', () => {
  it('sees the recovery once CONFIG_CACHE_SECONDS have passed, and caches the healthy answer again', async () => {
    const controlPlane = await scriptedControlPlane(CONFIG_SCENARIOS.unavailable);
    const overrides = { SUPABASE_URL: controlPlane.url, CONFIG_CACHE_SECONDS: '1' };
    expect((await request('/api/config', {}, overrides)).status).toBe(503);
    await controlPlane.answerAs(CONFIG_SCENARIOS.good);
    expect((await request('/api/config', {}, overrides)).status).toBe(503);
    expect(await controlPlane.requestCount()).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const recovered = await request('/api/config', {}, overrides);
    expect(recovered.status).toBe(200);
    expect(recovered.headers.get('x-config-stale')).toBeNull();
    expect(recovered.headers.get('cache-control')).toBe('public, max-age=1');
    expect(await recovered.json()).toEqual(GOOD_BODY);
    const cached = await request('/api/config', {}, overrides);
    expect(cached.status).toBe(200);
    expect(cached.headers.get('x-config-stale')).toBeNull();
    expect(await controlPlane.requestCount()).toBe(2);
  });

  it('gives up on a hanging control plane in time for the resolver to get the stale copy', async () => {
    await keepAGoodCopy();
    const controlPlane = await scriptedControlPlane(CONFIG_SCENARIOS.hang);
    const started = Date.now();
    const answer = await request('/api/config', {}, { SUPABASE_URL: controlPlane.url });
    const elapsed = Date.now() - started;
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-config-stale')).toBe('1');
    expect(await answer.json()).toEqual(GOOD_BODY);
    expect(elapsed).toBeLessThan(RESOLVER_CONFIG_TIMEOUT_MS);
    // Room left for the network between the app and the Worker, and for a slow KV read.
    expect(CONTROL_PLANE_TIMEOUT_MS).toBeLessThanOrEqual(RESOLVER_CONFIG_TIMEOUT_MS - 1_000);
    expect(await controlPlane.requestCount()).toBe(1);
  });
});
