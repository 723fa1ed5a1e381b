import { MarketplaceError } from '@cartae/marketplace-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResolverEvent } from '../src/events.ts';
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

describe('config lifecycle', () => {
  it('a dead control plane at first start means the built-in Git default', async () => {
    s.cdn.setBehaviour('/api/config', { kind: 'hang' });
    const r = s.resolver({ configUrl: s.configUrl, configTimeoutMs: 200 });
    expect(await r.resolveUrl('api/plugins')).toBe(s.gitUrl);
    expect((await r.getConfig()).origin).toBe('built-in');
  });

  it('a running app keeps its config when the control plane dies', async () => {
    s.setConfig(loopbackConfig(s, { type: 'cloudflare' }), 3);
    const r = s.resolver({ configUrl: s.configUrl });
    expect(await r.resolveUrl('api/plugins')).toBe(`${s.cdn.url}/api/plugins`);
    s.cdn.setBehaviour('/api/config', { kind: 'status', status: 503 });
    await r.reloadConfig();
    expect(await r.resolveUrl('api/plugins')).toBe(`${s.cdn.url}/api/plugins`);
    expect((await r.getConfig()).version).toBe(3);
  });

  it('a restarted app uses its persisted config while the control plane is down', async () => {
    const storage = createMemoryStorage();
    s.setConfig(loopbackConfig(s, { type: 'cloudflare' }), 4);
    await s.resolver({ configUrl: s.configUrl, platform: { storage } }).resolveUrl('api/plugins');
    s.cdn.setBehaviour('/api/config', { kind: 'status', status: 500 });
    const restarted = s.resolver({ configUrl: s.configUrl, platform: { storage } });
    expect(await restarted.resolveUrl('api/plugins')).toBe(`${s.cdn.url}/api/plugins`);
    expect(await restarted.getConfig()).toMatchObject({ origin: 'persisted', version: 4 });
  });

  it('a restarted app serves its persisted registry, stale, when every source is down', async () => {
    const storage = createMemoryStorage();
    s.setRegistry({ version: 8 });
    expect((await s.resolver({ platform: { storage } }).getRegistry()).ok).toBe(true);
    s.git.setBehaviour('*', { kind: 'status', status: 500 });
    s.cdn.setBehaviour('*', { kind: 'status', status: 500 });
    const restarted = await s.resolver({ platform: { storage } }).getRegistry();
    expect(restarted).toMatchObject({ ok: true, stale: true, registry: { version: 8 } });
  });

  it('an invalid document is refused: the last good config stays, and an event says why', async () => {
    s.setConfig(loopbackConfig(s, { type: 'cloudflare' }), 1);
    const r = s.resolver({ configUrl: s.configUrl });
    const events: ResolverEvent[] = [];
    r.subscribe((e) => events.push(e));
    await r.resolveUrl('api/plugins');
    s.setConfig({ type: 'cloudflare', cloudflareUrl: 'javascript:alert(1)' }, 2);
    await r.reloadConfig();
    expect(await r.resolveUrl('api/plugins')).toBe(`${s.cdn.url}/api/plugins`);
    expect(events.find((e) => e.type === 'config-rejected')).toMatchObject({
      error: { code: 'config_invalid' },
    });
    s.setConfig({ ...loopbackConfig(s, { type: 'git' }), cacheTtlSeconds: 'soon' }, 3);
    await r.reloadConfig();
    expect((await r.getConfig()).version).toBe(1);
  });

  it('a document from a newer control plane still works: extra fields and unknown kinds', async () => {
    s.setConfig(
      {
        ...loopbackConfig(s, { type: 'hybrid', priority: ['r2', 'cloudflare', 'git'] }),
        r2Url: 'https://r2.example',
        rollout: { waves: [1, 2, 3] },
        signatureRequired: true,
      },
      9,
    );
    const r = s.resolver({ configUrl: s.configUrl });
    expect(await r.resolveUrl('api/plugins')).toBe(`${s.cdn.url}/api/plugins`);
    expect((await r.getConfig()).warnings).toContain('ignored unknown source kind "r2" in priority');
  });

  it('a document naming a host outside the app allowlist cannot redirect the app', async () => {
    s.setConfig({ type: 'cloudflare', cloudflareUrl: 'https://attacker.example', gitUrl: s.gitUrl }, 2);
    const r = s.resolver({
      configUrl: s.configUrl,
      urlPolicy: { allowLoopbackHttp: true, allowedHosts: ['127.0.0.1'] },
    });
    expect(await r.resolveUrl('api/plugins')).toBe(s.gitUrl);
  });

  it('emits config-changed once per new version and switches running apps on the timer', async () => {
    s.setConfig(loopbackConfig(s, { type: 'git', cacheTtlSeconds: 5 }), 1);
    const clock = createFakeClock(Date.now());
    const r = s.resolver({ configUrl: s.configUrl, platform: { clock } });
    const changes: (number | undefined)[] = [];
    r.subscribe((e) => e.type === 'config-changed' && changes.push(e.version));
    await r.resolveUrl('api/plugins');
    s.setConfig(loopbackConfig(s, { type: 'cloudflare', cacheTtlSeconds: 5 }), 2);
    // The jittered refresh timer fires: no request by the app is needed to pick up the change.
    clock.advance(5000);
    await expect.poll(() => changes).toEqual([1, 2]);
    expect(await r.resolveUrl('api/plugins')).toBe(`${s.cdn.url}/api/plugins`);
  });

  it('a running app asks the edge endpoint every 15 s by default, so it follows a switch well before a 5-minute TTL', async () => {
    s.setConfig(loopbackConfig(s, { type: 'git', cacheTtlSeconds: 300 }), 1);
    const clock = createFakeClock(Date.now());
    const r = s.resolver({ configUrl: s.configUrl, platform: { clock } });
    await r.resolveUrl('api/plugins');
    s.setConfig(loopbackConfig(s, { type: 'cloudflare', cacheTtlSeconds: 300 }), 2);
    clock.advance(15_000);
    await expect.poll(async () => (await r.getConfig()).version).toBe(2);
    expect(await r.resolveUrl('api/plugins')).toBe(`${s.cdn.url}/api/plugins`);
    r.dispose();
  });

  it('without an edge endpoint the TTL alone paces refreshes; configPollSeconds sets it explicitly', async () => {
    s.setConfig(loopbackConfig(s, { type: 'git', cacheTtlSeconds: 300 }), 1);
    const clock = createFakeClock(Date.now());
    const loads: number[] = [];
    const counting = {
      name: 'custom',
      async load() {
        loads.push(clock.now());
        // A provider never throws: it reports a failure as data.
        try {
          const body = (await (await fetch(s.configUrl)).json()) as {
            config: Record<string, unknown>;
            version: number;
          };
          return { kind: 'loaded' as const, snapshot: { document: body.config, version: body.version } };
        } catch (cause) {
          return {
            kind: 'failed' as const,
            error: new MarketplaceError('source_network_error', 'down', { cause }),
          };
        }
      },
    };
    const r = s.resolver({ providers: [counting], platform: { clock } });
    await r.resolveUrl('api/plugins');
    clock.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(loads).toHaveLength(1);
    const polled = s.resolver({ providers: [counting], configPollSeconds: 20, platform: { clock } });
    await polled.resolveUrl('api/plugins');
    clock.advance(20_000);
    await expect.poll(() => loads.length).toBe(3);
    r.dispose();
    polled.dispose();
  });
});
