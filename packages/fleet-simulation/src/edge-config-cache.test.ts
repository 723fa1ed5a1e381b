import { DEFAULT_MARKETPLACE_CONFIG } from '@cartae/marketplace-core';
import { describe, expect, it } from 'vitest';
import { ControlPlane } from './control-plane.ts';
import { EdgeConfigCache } from './edge-config-cache.ts';

const plane = new ControlPlane(DEFAULT_MARKETPLACE_CONFIG, DEFAULT_MARKETPLACE_CONFIG, 100_000);

function edge(options: { cacheMs?: number; latencyMs?: number; singleFlight?: boolean } = {}) {
  const requests: number[] = [];
  const duplicates: number[] = [];
  const cache = new EdgeConfigCache(
    2,
    options.cacheMs ?? 15_000,
    options.latencyMs ?? 100,
    options.singleFlight ?? false,
    plane,
    (now, duplicate) => {
      requests.push(now);
      if (duplicate) duplicates.push(now);
    },
  );
  return { cache, requests, duplicates };
}

describe('EdgeConfigCache', () => {
  it('asks Supabase once per data centre per CONFIG_CACHE_SECONDS, however many apps ask', () => {
    const { cache, requests, duplicates } = edge();
    for (let t = 0; t < 60_000; t += 10) cache.read(0, t);
    expect(duplicates).toHaveLength(4 * 9);
    // Fills at 0, 15.1 s, 30.2 s, 45.3 s (each copy lives 15 s from when it arrives), plus the
    // requests that arrive while a fill is in flight (100 ms, one request every 10 ms).
    const fills = requests.filter((t, i) => i === 0 || t - (requests[i - 1] as number) > 1000);
    expect(fills).toEqual([0, 15_100, 30_200, 45_300]);
    expect(requests).toHaveLength(4 * 10);
  });

  it('coalesces concurrent misses when single-flight is on', () => {
    const { cache, requests } = edge({ singleFlight: true });
    for (let t = 0; t < 60_000; t += 10) cache.read(0, t);
    expect(requests).toEqual([0, 15_100, 30_200, 45_300]);
  });

  it('makes a coalesced request wait for the fill, and a hit not at all', () => {
    const { cache } = edge({ singleFlight: true });
    cache.read(0, 0);
    expect(cache.lastReadWaitMs).toBe(100);
    cache.read(0, 40);
    expect(cache.lastReadWaitMs).toBe(60);
    cache.read(0, 150);
    expect(cache.lastReadWaitMs).toBe(0);
  });

  it('keeps data centres apart', () => {
    const { cache, requests } = edge();
    cache.read(0, 0);
    cache.read(1, 0);
    cache.read(0, 1000);
    cache.read(1, 1000);
    expect(requests).toEqual([0, 0]);
  });

  it('serves the old version until its copy expires after a switch', () => {
    const { cache } = edge();
    expect(cache.read(0, 95_000)).toBe(1);
    expect(cache.read(0, 105_000)).toBe(1);
    expect(cache.read(0, 110_099)).toBe(1);
    expect(cache.read(0, 110_100)).toBe(2);
  });

  it('with no edge cache, every request reaches Supabase', () => {
    const { cache, requests } = edge({ cacheMs: 0 });
    for (let t = 0; t < 1000; t += 100) cache.read(0, t);
    expect(requests).toHaveLength(10);
  });
});
