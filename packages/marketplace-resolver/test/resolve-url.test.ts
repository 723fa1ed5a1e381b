import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from '../src/storage/memory-storage.ts';
import { createFakeClock } from './support/fake-clock.ts';
import { type LoopbackSources, loopbackConfig, startLoopbackSources } from './support/loopback-sources.ts';

let s: LoopbackSources;
beforeEach(async () => {
  s = await startLoopbackSources();
});
afterEach(async () => {
  await s.close();
});

describe('resolveUrl', () => {
  it('uses the built-in Git default when no control plane is configured', async () => {
    const r = s.resolver();
    expect(await r.resolveUrl('api/plugins')).toBe(s.gitUrl);
    expect(await r.resolveUrl('api/plugins/kanban')).toBe(`${s.git.url}/registry/plugins/kanban.json`);
  });

  it('follows the control plane: cloudflare routes to the CDN API', async () => {
    s.setConfig(loopbackConfig(s, { type: 'cloudflare' }), 2);
    const r = s.resolver({ configUrl: s.configUrl });
    expect(await r.resolveUrl('api/plugins')).toBe(`${s.cdn.url}/api/plugins`);
    expect(await r.resolveUrl('/api/plugins/kanban')).toBe(`${s.cdn.url}/api/plugins/kanban`);
    expect((await r.getConfig()).version).toBe(2);
  });

  it('sends no request while the config is fresh', async () => {
    s.setConfig(loopbackConfig(s, { type: 'cloudflare', cacheTtlSeconds: 300 }), 1);
    const r = s.resolver({ configUrl: s.configUrl });
    for (let i = 0; i < 100; i++) await r.resolveUrl('api/plugins');
    expect(s.cdnRequests('/api/config')).toBe(1);
    expect(s.cdnRequests('/api/plugins') + s.gitRequests()).toBe(0);
  });

  it('serves a stale config at once and refreshes it in the background, conditionally', async () => {
    const clock = createFakeClock();
    s.setConfig(loopbackConfig(s, { type: 'cloudflare', cacheTtlSeconds: 5 }), 1);
    const r = s.resolver({ configUrl: s.configUrl, platform: { clock } });
    expect(await r.resolveUrl('api/plugins')).toBe(`${s.cdn.url}/api/plugins`);
    s.setConfig(loopbackConfig(s, { type: 'git', cacheTtlSeconds: 5 }), 2);
    clock.advance(6000);
    // Stale: answered from the old config without waiting…
    expect(await r.resolveUrl('api/plugins')).toBe(`${s.cdn.url}/api/plugins`);
    // …while the refresh runs; once it lands the new config is used.
    await expect.poll(() => r.resolveUrl('api/plugins')).toBe(s.gitUrl);
    expect(s.cdn.requests.filter((q) => q.path === '/api/config')[1]?.ifNoneMatch).toMatch(/^W\//);
  });

  it('reloadConfig bypasses the cache', async () => {
    s.setConfig(loopbackConfig(s, { type: 'git' }), 1);
    const r = s.resolver({ configUrl: s.configUrl });
    expect(await r.resolveUrl('api/plugins')).toBe(s.gitUrl);
    s.setConfig(loopbackConfig(s, { type: 'cloudflare' }), 2);
    await r.reloadConfig();
    expect(await r.resolveUrl('api/plugins')).toBe(`${s.cdn.url}/api/plugins`);
  });

  it('rejects unknown paths with a clear error', async () => {
    const r = s.resolver();
    await expect(r.resolveUrl('api/themes')).rejects.toMatchObject({ code: 'route_unknown' });
  });

  it('keeps each install in its canary bucket as the percentage rises', async () => {
    const installs = Array.from({ length: 40 }, (_, i) => `install-${i}`);
    const firstChoices = async (percent: number) => {
      s.setConfig(
        loopbackConfig(s, { type: 'hybrid', priority: ['cloudflare', 'git'], canaryPercent: percent }),
        percent,
      );
      const urls = [];
      for (const installId of installs)
        urls.push(await s.resolver({ configUrl: s.configUrl, installId }).resolveUrl('api/plugins'));
      return urls.map((u) => (u === s.gitUrl ? 'git' : 'cdn'));
    };
    const at10 = await firstChoices(10);
    const at50 = await firstChoices(50);
    const at100 = await firstChoices(100);
    at10.forEach((choice, i) => {
      if (choice === 'cdn') expect(at50[i]).toBe('cdn');
    });
    expect(at10.filter((c) => c === 'cdn').length).toBeLessThan(at50.filter((c) => c === 'cdn').length);
    expect(at100.every((c) => c === 'cdn')).toBe(true);
  });

  it('persists the install id, so the bucket survives a restart', async () => {
    const storage = createMemoryStorage();
    const a = s.resolver({ platform: { storage } });
    await a.resolveUrl('api/plugins');
    const b = s.resolver({ platform: { storage } });
    await b.resolveUrl('api/plugins');
    expect(a.getHealth().installBucket).toBeDefined();
    expect(b.getHealth().installBucket).toBe(a.getHealth().installBucket);
  });
});

describe('construction errors say how to fix them', () => {
  it.each([
    [{ configUrl: 'http://example.com/api/config' }, 'the config URL must use https'],
    [{ requestTimeoutMs: -1 }, 'requestTimeoutMs must be a positive number'],
    [{ defaultConfig: { type: 'git', gitUrl: 'javascript:x' } }, 'defaultConfig is not usable'],
    [{ supabase: {} as never }, 'supabase must be a supabase-js client'],
  ])('%j', async (options, message) => {
    expect(() => s.resolver(options)).toThrow(message);
  });
});
