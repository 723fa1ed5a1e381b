import { gzipSync } from 'node:zlib';
import { type GitHost, startGitHost } from '@cartae/local-git-host';
import { afterEach, describe, expect, it } from 'vitest';
import { registryText } from '../../../tests/fixtures/registry-builder.ts';
import { createMarketplaceSourceResolver, type MarketplaceSourceResolverOptions } from '../src/index.ts';
import { silentLogger } from '../src/platform/platform.ts';
import { createMemoryStorage } from '../src/storage/memory-storage.ts';

/**
 * The timeout rule on a real loopback Git host (request/body-limits.ts): the first-byte limit
 * bounds a hung source, stalls bound a silent body, and a body that keeps arriving is never cut
 * for being slow — until the download ceiling.
 */
const text = registryText({ version: 3, plugins: 400 });
// Node's fetch accepts gzip, so the host sends (and throttles) the gzipped bytes.
const wireBytes = gzipSync(text).length;

let git: GitHost | undefined;
const resolvers: ReturnType<typeof createMarketplaceSourceResolver>[] = [];
afterEach(async () => {
  for (const r of resolvers.splice(0)) r.dispose();
  await git?.close();
  git = undefined;
});

async function gitOnly(options: MarketplaceSourceResolverOptions) {
  git = await startGitHost({ files: { '/registry.json': text } });
  const resolver = createMarketplaceSourceResolver({
    urlPolicy: { allowLoopbackHttp: true },
    // Git alone: the built-in CDN URL would be tried after it and hide its error.
    defaultConfig: { type: 'git', gitUrl: `${git.url}/registry.json`, fallbackOnError: false },
    probes: false,
    ...options,
    platform: { storage: createMemoryStorage(), logger: silentLogger },
  });
  resolvers.push(resolver);
  return { git, resolver };
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

describe('a registry on a slow network', () => {
  it('arrives when the body keeps coming, long past the first-byte limit', async () => {
    const { git, resolver } = await gitOnly({ requestTimeoutMs: 300, stallTimeoutMs: 600 });
    // ~1.2 s of body, four times the first-byte limit that used to bound the whole download.
    git.setBehaviour('/registry.json', { kind: 'throttle', bytesPerSecond: Math.ceil(wireBytes / 1.2) });
    const { value: result, ms } = await timed(() => resolver.getRegistry());
    expect(result.ok && !result.stale && result.registry.plugins.length).toBe(400);
    expect(ms).toBeGreaterThan(1000);
    expect(resolver.getStats().perSource.git).toMatchObject({ requests: 1, timeouts: 0, errors: 0 });
  });

  it('cuts a body that stalls, once no bytes came for the stall limit', async () => {
    const { git, resolver } = await gitOnly({ requestTimeoutMs: 300, stallTimeoutMs: 700 });
    git.setBehaviour('/registry.json', { kind: 'stall', bytes: 100 });
    const { value: result, ms } = await timed(() => resolver.getRegistry());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const cause = result.error.cause as { code?: string; cause?: DOMException };
    expect(cause.code).toBe('source_timeout');
    expect(cause.cause?.message).toBe('the body stalled: no bytes for 700 ms');
    expect(ms).toBeGreaterThanOrEqual(690);
    expect(ms).toBeLessThan(1500);
    expect(resolver.getStats().perSource.git.timeouts).toBe(1);
  });

  it('cuts a source that never answers after the first-byte limit, as before', async () => {
    const { git, resolver } = await gitOnly({ requestTimeoutMs: 300, stallTimeoutMs: 5000 });
    git.setBehaviour('/registry.json', { kind: 'hang' });
    const { value: result, ms } = await timed(() => resolver.getRegistry());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const cause = result.error.cause as { code?: string; cause?: DOMException };
    expect(cause.code).toBe('source_timeout');
    expect(cause.cause?.message).toBe('no answer within 300 ms');
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(1000);
  });

  it('bounds a body that trickles on by the download ceiling', async () => {
    const { git, resolver } = await gitOnly({
      requestTimeoutMs: 300,
      stallTimeoutMs: 600,
      downloadTimeoutMs: 700,
    });
    git.setBehaviour('/registry.json', { kind: 'throttle', bytesPerSecond: Math.ceil(wireBytes / 3) });
    const { value: result, ms } = await timed(() => resolver.getRegistry());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const cause = result.error.cause as { cause?: DOMException };
    expect(cause.cause?.message).toBe('the download did not finish within 700 ms');
    expect(ms).toBeGreaterThanOrEqual(690);
    expect(ms).toBeLessThan(1500);
  });

  it('gives fetch() a slow ETag-tagged body in full too (it is read under the same rule)', async () => {
    const { git, resolver } = await gitOnly({ requestTimeoutMs: 300 });
    git.setFile('/plugins/big.json', text);
    git.setBehaviour('/plugins/big.json', { kind: 'throttle', bytesPerSecond: Math.ceil(wireBytes / 1) });
    const response = await resolver.fetch('api/plugins/big');
    expect(await response.text()).toBe(text);
  });
});
