import { gzipSync } from 'node:zlib';
import { type GitHost, startGitHost } from '@cartae/local-git-host';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realRegistryText } from '../../../../tests/fixtures/real-registry.ts';
import type * as Resolver from '../../src/index.ts';
import { launchChromium, type ResolverPage, serveResolverPage } from './resolver-page.ts';

/**
 * A first visit at 400 kbps, as Chromium's own network emulation (CDP) makes it, fetching the real
 * 6,858-plugin registry (pretty-printed as `registry build` writes it) from the local Git host,
 * which gzips like raw.githubusercontent.com. The download takes well past the 8 s first-byte
 * limit; the rule in request/body-limits.ts lets it finish, in one attempt.
 */
const KBPS = 400;
let browser: Browser;
let resolverPage: ResolverPage;
let git: GitHost;
let page: Page;
let text: string;

beforeAll(async () => {
  text = await realRegistryText({ indent: 2 });
  resolverPage = await serveResolverPage();
  git = await startGitHost({ files: { '/registry.json': text }, cacheControl: 'no-store' });
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(resolverPage.url);
  await page.waitForFunction(() => 'marketplace' in globalThis);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await git?.close();
  await resolverPage?.close();
});

describe('a first visit at 400 kbps in Chromium', () => {
  it('gets the whole real registry, in one download, past the old whole-body limit', async () => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (KBPS * 1000) / 8,
      uploadThroughput: (KBPS * 1000) / 8,
    });
    const wire = gzipSync(text).length;
    // How the registry came over the (emulated) wire, as Chromium's network stack saw it.
    const encodings: (string | undefined)[] = [];
    cdp.on('Network.responseReceived', (e) => {
      if (e.response.url.endsWith('/registry.json')) encodings.push(e.response.headers['content-encoding']);
    });
    const seen = await page.evaluate(async (gitUrl) => {
      const { createMarketplaceSourceResolver, createIndexedDbStorage } = (
        globalThis as unknown as { marketplace: typeof Resolver }
      ).marketplace;
      const resolver = createMarketplaceSourceResolver({
        urlPolicy: { allowedHosts: ['github.com', '127.0.0.1'], allowLoopbackHttp: true },
        defaultConfig: { type: 'git', gitUrl, fallbackOnError: false },
        // The defaults a shipped app has: 8 s to the first byte, stalls of 8 s, a 5-minute ceiling.
        platform: { storage: createIndexedDbStorage(`slow-${Date.now()}`) },
        probes: false,
      });
      const started = performance.now();
      const r = await resolver.getRegistry();
      const ms = performance.now() - started;
      const stats = resolver.getStats();
      resolver.dispose();
      return {
        ok: r.ok,
        plugins: r.ok ? r.registry.plugins.length : 0,
        error: r.ok ? undefined : r.error.message,
        ms,
        timeouts: stats.perSource.git.timeouts,
      };
    }, `${git.url}/registry.json`);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    const downloadMs = ((wire * 8) / (KBPS * 1000)) * 1000;
    console.log(
      `400 kbps: ${(text.length / 1e6).toFixed(2)} MB registry, ${(wire / 1e3).toFixed(0)} KB gzip, ` +
        `time to list ${(seen.ms / 1000).toFixed(1)} s (wire time at 400 kbps ${(downloadMs / 1000).toFixed(1)} s)`,
    );
    expect(seen).toMatchObject({ ok: true, plugins: 6858, timeouts: 0 });
    expect(seen.ms).toBeGreaterThan(8000); // the old limit would have cut it
    expect(seen.ms).toBeLessThan(downloadMs + 2000 + 1500); // target: download time + 2 s (+ latency, parse)
    expect(git.requests.filter((r) => r.path === '/registry.json' && r.method === 'GET')).toHaveLength(1);
    // gzipped, as from raw.githubusercontent.com: `wire` bytes instead of 3.67 MB.
    expect(encodings).toEqual(['gzip']);
  }, 90_000);
});
