import { MarketplaceError } from '@cartae/marketplace-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigLoadOutcome, ConfigProvider, ResolverEvent } from '../src/index.ts';
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

/** A second config provider (standing in for Supabase) whose next answer the test sets. */
function scriptedProvider(name = 'supabase') {
  let next: ConfigLoadOutcome = {
    kind: 'failed',
    error: new MarketplaceError('source_network_error', `${name} is unreachable`),
  };
  const provider: ConfigProvider & {
    loads: number;
    answers(document: Record<string, unknown>, version?: number): void;
  } = {
    name,
    loads: 0,
    load: async () => {
      provider.loads++;
      return next;
    },
    answers(document, version) {
      next = { kind: 'loaded', snapshot: { document, ...(version === undefined ? {} : { version }) } };
    },
  };
  return provider;
}

/** The Worker's answer while Supabase fails: its last good copy, marked `x-config-stale: 1`. */
function edgeServesStaleCopy(document: Record<string, unknown>, version: number): void {
  s.cdn.setBehaviour('/api/config', {
    kind: 'status',
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-config-stale': '1', age: '600' },
    body: JSON.stringify({ config: document, version, updatedAt: '2026-11-30T10:00:00Z' }),
  });
}

const onCdn = () => `${s.cdn.url}/api/plugins`;

describe('config versions never go backwards', () => {
  it('an older version from the same provider is not adopted after a newer one', async () => {
    s.setConfig(loopbackConfig(s, { type: 'cloudflare' }), 7);
    const r = s.resolver({ configUrl: s.configUrl });
    const changes: (number | undefined)[] = [];
    r.subscribe((e) => e.type === 'config-changed' && changes.push(e.version));
    expect(await r.resolveUrl('api/plugins')).toBe(onCdn());
    s.setConfig(loopbackConfig(s, { type: 'git' }), 6);
    await r.reloadConfig();
    expect(await r.getConfig()).toMatchObject({ version: 7, config: { type: 'cloudflare' } });
    expect(await r.resolveUrl('api/plugins')).toBe(onCdn());
    expect(changes).toEqual([7]);
  });

  it('an older version from another provider is not adopted (Supabase said 7, the edge still says 6)', async () => {
    const supabase = scriptedProvider();
    s.cdn.setBehaviour('/api/config', { kind: 'status', status: 503 });
    supabase.answers(loopbackConfig(s, { type: 'cloudflare' }), 7);
    const r = s.resolver({ configUrl: s.configUrl, providers: [supabase] });
    expect(await r.getConfig()).toMatchObject({ version: 7 });
    // The edge recovers with an older copy: a fresh answer, but behind what the app holds.
    s.setConfig(loopbackConfig(s, { type: 'git' }), 6);
    s.cdn.setBehaviour('/api/config', { kind: 'serve' });
    await r.reloadConfig();
    expect(await r.getConfig()).toMatchObject({ version: 7, config: { type: 'cloudflare' } });
    expect(await r.resolveUrl('api/plugins')).toBe(onCdn());
  });

  it("a stale edge copy never replaces a newer config (issue 12's flip from 7 back to 6)", async () => {
    const supabase = scriptedProvider();
    s.cdn.setBehaviour('/api/config', { kind: 'status', status: 503 });
    supabase.answers(loopbackConfig(s, { type: 'cloudflare' }), 7);
    const r = s.resolver({ configUrl: s.configUrl, providers: [supabase] });
    expect(await r.getConfig()).toMatchObject({ version: 7 });
    expect(supabase.loads).toBe(1);
    const events: ResolverEvent[] = [];
    r.subscribe((e) => events.push(e));
    edgeServesStaleCopy(loopbackConfig(s, { type: 'git' }), 6);
    await r.reloadConfig();
    expect(await r.getConfig()).toMatchObject({ version: 7, config: { type: 'cloudflare' } });
    expect(await r.resolveUrl('api/plugins')).toBe(onCdn());
    expect(events.some((e) => e.type === 'config-changed')).toBe(false);
    expect(supabase.loads).toBe(1);
    // Reported like a failed refresh: the control plane did not answer.
    expect(events.find((e) => e.type === 'config-refresh-failed')).toMatchObject({
      errors: [{ code: 'source_http_error', message: expect.stringContaining('stale copy') }],
    });
  });

  it('a stale edge copy ends the round: the fleet does not go around the Worker to a failing Supabase', async () => {
    const supabase = scriptedProvider();
    supabase.answers(loopbackConfig(s, { type: 'git' }), 8);
    edgeServesStaleCopy(loopbackConfig(s, { type: 'cloudflare' }), 7);
    const r = s.resolver({ configUrl: s.configUrl, providers: [supabase] });
    expect(await r.getConfig()).toMatchObject({ version: 7, origin: 'provider' });
    await r.reloadConfig();
    expect(supabase.loads).toBe(0);
  });

  it('a stale copy newer than the config held moves the app forward, without renewing its TTL', async () => {
    const clock = createFakeClock(Date.now());
    s.setConfig(loopbackConfig(s, { type: 'git', cacheTtlSeconds: 300 }), 5);
    const r = s.resolver({ configUrl: s.configUrl, autoRefresh: false, platform: { clock } });
    const { fetchedAt } = await r.getConfig();
    clock.advance(200_000);
    edgeServesStaleCopy(loopbackConfig(s, { type: 'cloudflare', cacheTtlSeconds: 300 }), 7);
    await r.reloadConfig();
    expect(await r.getConfig()).toMatchObject({ version: 7, config: { type: 'cloudflare' }, fetchedAt });
    clock.advance(101_000);
    expect(r.getHealth().config).toMatchObject({ version: 7, stale: true });
  });

  it('with nothing held, a stale edge copy is used, but it does not count as fresh', async () => {
    edgeServesStaleCopy(loopbackConfig(s, { type: 'cloudflare' }), 6);
    const r = s.resolver({ configUrl: s.configUrl });
    expect(await r.resolveUrl('api/plugins')).toBe(onCdn());
    expect(await r.getConfig()).toMatchObject({ version: 6, origin: 'provider', fetchedAt: 0 });
    expect(r.getHealth().config.stale).toBe(true);
    // Once the control plane is back, the same version answered fresh restarts the TTL.
    s.setConfig(loopbackConfig(s, { type: 'cloudflare' }), 6);
    s.cdn.setBehaviour('/api/config', { kind: 'serve' });
    await r.reloadConfig();
    expect(r.getHealth().config).toMatchObject({ version: 6, stale: false });
  });

  it('a stale answer, even a 304, does not restart the TTL of the config held', async () => {
    const clock = createFakeClock(Date.now());
    s.setConfig(loopbackConfig(s, { type: 'cloudflare', cacheTtlSeconds: 300 }), 7);
    const r = s.resolver({ configUrl: s.configUrl, autoRefresh: false, platform: { clock } });
    const fetchedAt = (await r.getConfig()).fetchedAt;
    clock.advance(200_000);
    edgeServesStaleCopy(loopbackConfig(s, { type: 'cloudflare', cacheTtlSeconds: 300 }), 7);
    await r.reloadConfig();
    s.cdn.setBehaviour('/api/config', { kind: 'status', status: 304, headers: { 'x-config-stale': '1' } });
    await r.reloadConfig();
    expect(await r.getConfig()).toMatchObject({ version: 7, fetchedAt });
    clock.advance(101_000);
    expect(r.getHealth().config).toMatchObject({ version: 7, stale: true });
  });

  it('after a stale answer, requests do not refresh the config before the next poll', async () => {
    const clock = createFakeClock(Date.now());
    s.setConfig(loopbackConfig(s, { type: 'cloudflare', cacheTtlSeconds: 5 }), 7);
    const r = s.resolver({ configUrl: s.configUrl, autoRefresh: false, platform: { clock } });
    // fetch() checks the config's age on every call (resolveUrl's hot path may skip it).
    const request = async () => (await r.fetch('api/plugins')).text();
    await request();
    edgeServesStaleCopy(loopbackConfig(s, { type: 'cloudflare', cacheTtlSeconds: 5 }), 7);
    clock.advance(5_000);
    await request(); // the config is stale: one background refresh, answered stale
    await expect.poll(() => s.cdnRequests('/api/config')).toBe(2);
    for (let i = 0; i < 10; i++) {
      await request();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(s.cdnRequests('/api/config')).toBe(2);
    clock.advance(5_000); // past the next poll (the TTL, 5 s, minus up to 20 %)
    await request();
    await expect.poll(() => s.cdnRequests('/api/config')).toBe(3);
  });

  it('a restarted app still refuses a version older than the one it persisted', async () => {
    const storage = createMemoryStorage();
    s.setConfig(loopbackConfig(s, { type: 'cloudflare' }), 7);
    await s.resolver({ configUrl: s.configUrl, platform: { storage } }).resolveUrl('api/plugins');
    s.setConfig(loopbackConfig(s, { type: 'git' }), 6);
    const restarted = s.resolver({ configUrl: s.configUrl, platform: { storage } });
    expect(await restarted.getConfig()).toMatchObject({ origin: 'persisted', version: 7 });
    await restarted.reloadConfig();
    expect(await restarted.getConfig()).toMatchObject({ version: 7, config: { type: 'cloudflare' } });
    expect(await restarted.resolveUrl('api/plugins')).toBe(onCdn());
    const again = s.resolver({ configUrl: s.configUrl, platform: { storage } });
    await again.reloadConfig();
    expect(await again.getConfig()).toMatchObject({ version: 7 });
  });

  it('a restarted app keeps its floor even when its persisted document no longer passes its URL policy', async () => {
    const storage = createMemoryStorage();
    s.setConfig(loopbackConfig(s, { type: 'cloudflare', cloudflareUrl: 'https://old-cdn.example' }), 7);
    await s.resolver({ configUrl: s.configUrl, platform: { storage } }).getConfig();
    // An app update narrows the allowlist: version 7 can no longer be used, yet it was adopted.
    s.setConfig(loopbackConfig(s, { type: 'cloudflare' }), 6);
    const updated = s.resolver({
      configUrl: s.configUrl,
      platform: { storage },
      urlPolicy: { allowLoopbackHttp: true, allowedHosts: ['127.0.0.1'] },
    });
    expect(await updated.getConfig()).toMatchObject({ origin: 'built-in', version: undefined });
    s.setConfig(loopbackConfig(s, { type: 'cloudflare' }), 8);
    await updated.reloadConfig();
    expect(await updated.getConfig()).toMatchObject({ origin: 'provider', version: 8 });
  });

  it('answers without a version: adopted while no versioned config is held, refused after one', async () => {
    const custom = scriptedProvider('custom');
    custom.answers(loopbackConfig(s, { type: 'cloudflare' }));
    const r = s.resolver({ providers: [custom] });
    expect(await r.getConfig()).toMatchObject({ version: undefined, origin: 'provider' });
    // Without versions there is no order: the latest answer wins, as it always did.
    custom.answers(loopbackConfig(s, { type: 'git' }));
    await r.reloadConfig();
    expect(await r.getConfig()).toMatchObject({ version: undefined, config: { type: 'git' } });
    // Any version ranks above none.
    custom.answers(loopbackConfig(s, { type: 'cloudflare' }), 3);
    await r.reloadConfig();
    expect(await r.getConfig()).toMatchObject({ version: 3, config: { type: 'cloudflare' } });
    // An unversioned answer cannot prove it is not older than version 3.
    custom.answers(loopbackConfig(s, { type: 'git' }));
    await r.reloadConfig();
    expect(await r.getConfig()).toMatchObject({ version: 3, config: { type: 'cloudflare' } });
  });

  it("a rollback reaches the app: the control plane's rollback is a new, higher version with the old content", async () => {
    s.setConfig(loopbackConfig(s, { type: 'git' }), 1);
    const r = s.resolver({ configUrl: s.configUrl });
    const changes: (number | undefined)[] = [];
    r.subscribe((e) => e.type === 'config-changed' && changes.push(e.version));
    expect(await r.resolveUrl('api/plugins')).toBe(s.gitUrl);
    s.setConfig(loopbackConfig(s, { type: 'cloudflare' }), 2);
    await r.reloadConfig();
    expect(await r.resolveUrl('api/plugins')).toBe(onCdn());
    // The edge's stale copy of version 1 is no rollback: it is refused.
    edgeServesStaleCopy(loopbackConfig(s, { type: 'git' }), 1);
    await r.reloadConfig();
    expect(await r.resolveUrl('api/plugins')).toBe(onCdn());
    // rollback_app_config(history of version 1) writes version 3 with version 1's document.
    s.cdn.setBehaviour('/api/config', { kind: 'serve' });
    s.setConfig(loopbackConfig(s, { type: 'git' }), 3);
    await r.reloadConfig();
    expect(await r.getConfig()).toMatchObject({ version: 3, config: { type: 'git' } });
    expect(await r.resolveUrl('api/plugins')).toBe(s.gitUrl);
    expect(changes).toEqual([1, 2, 3]);
  });
});
