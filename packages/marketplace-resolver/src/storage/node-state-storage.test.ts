import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type LoopbackSources,
  loopbackConfig,
  startLoopbackSources,
} from '../../test/support/loopback-sources.ts';
import { createMarketplaceSourceResolver } from '../default-instance.ts';
import { silentLogger } from '../platform/platform.ts';
import type { MarketplaceSourceResolverOptions } from '../resolver-options.ts';
import { createMemoryStorage } from './memory-storage.ts';

let s: LoopbackSources;
let dir: string;
beforeEach(async () => {
  s = await startLoopbackSources();
  dir = await mkdtemp(join(tmpdir(), 'cartae-state-'));
  // Where the default storage keeps its files on Node (documented in the README).
  vi.stubEnv('CARTAE_MARKETPLACE_STATE_DIR', join(dir, 'cartae-marketplace'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  await s.close();
  await rm(dir, { recursive: true, force: true });
});

/** A resolver as a Node app creates it: no storage given. */
function withDefaults(options: MarketplaceSourceResolverOptions = {}) {
  return createMarketplaceSourceResolver({
    configUrl: s.configUrl,
    urlPolicy: { allowLoopbackHttp: true },
    defaultConfig: { type: 'git', gitUrl: s.gitUrl, cloudflareUrl: s.cdn.url },
    requestTimeoutMs: 500,
    configTimeoutMs: 500,
    autoRefresh: false,
    probes: false,
    ...options,
    platform: { logger: silentLogger, ...options.platform },
  });
}

describe('default storage on Node', () => {
  it('keeps the install bucket, the last good config and the last good registry across a restart', async () => {
    s.setConfig(loopbackConfig(s, { type: 'cloudflare' }), 4);
    s.setRegistry({ version: 7 });
    const first = withDefaults();
    expect(await first.getRegistry()).toMatchObject({ ok: true, source: 'cloudflare', stale: false });
    const bucket = first.getHealth().installBucket;
    first.dispose();

    s.git.setBehaviour('*', { kind: 'status', status: 500 });
    s.cdn.setBehaviour('*', { kind: 'status', status: 503 });
    const restarted = withDefaults();
    expect(await restarted.getRegistry()).toMatchObject({
      ok: true,
      stale: true,
      source: 'cloudflare',
      registry: { version: 7 },
    });
    expect(await restarted.getConfig()).toMatchObject({ origin: 'persisted', version: 4 });
    expect(restarted.getHealth().installBucket).toBe(bucket);
    restarted.dispose();
    expect((await readdir(join(dir, 'cartae-marketplace'))).sort()).toEqual([
      'config.json',
      'install-id.json',
      'registry-highest-version.json',
      'registry-meta.json',
      'registry.json',
    ]);
  });

  it('is not used when the app chooses memory storage (opt-out)', async () => {
    const r = withDefaults({ platform: { storage: createMemoryStorage() } });
    expect((await r.getRegistry()).ok).toBe(true);
    r.dispose();
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  it('is memory in workerd, which reports a Node version under nodejs_compat but keeps no files', async () => {
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' });
    const r = withDefaults();
    expect((await r.getRegistry()).ok).toBe(true);
    r.dispose();
    await expect(readdir(dir)).resolves.toEqual([]);
  });
});
