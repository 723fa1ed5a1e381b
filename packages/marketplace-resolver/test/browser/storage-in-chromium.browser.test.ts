import { type GitHost, startGitHost } from '@cartae/local-git-host';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registryText } from '../../../../tests/fixtures/registry-builder.ts';
import type * as Resolver from '../../src/index.ts';
import { launchChromium, type ResolverPage, serveResolverPage } from './resolver-page.ts';

/**
 * The browser's default storage in Chromium: the registry in IndexedDB, a quota too small for it
 * reported (event, stats), and a copy an earlier release kept in localStorage moved on first run.
 */
let browser: Browser;
let resolverPage: ResolverPage;
let git: GitHost;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  resolverPage = await serveResolverPage();
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await resolverPage?.close();
});

beforeEach(async () => {
  git = await startGitHost({
    files: { '/registry.json': registryText({ version: 6, plugins: 2000 }) },
    cacheControl: 'no-cache',
  });
  context = await browser.newContext();
  page = await context.newPage();
  await page.goto(resolverPage.url);
  await page.waitForFunction(() => 'marketplace' in globalThis);
});

afterEach(async () => {
  await context?.close();
  await git?.close();
});

/** getRegistry() with the default storage, what it announced, and what the stores hold after. */
function readInPage(gitUrl: string) {
  return page.evaluate(async (url) => {
    const { createMarketplaceSourceResolver, createIndexedDbStorage } = (
      globalThis as unknown as { marketplace: typeof Resolver }
    ).marketplace;
    const resolver = createMarketplaceSourceResolver({
      urlPolicy: { allowLoopbackHttp: true },
      defaultConfig: { type: 'git', gitUrl: url, fallbackOnError: false },
      platform: { logger: () => {} },
      probes: false,
    });
    const notSaved: { code: string; version: number; bytes: number }[] = [];
    resolver.subscribe((e) => {
      if (e.type === 'registry-not-saved')
        notSaved.push({ code: e.code, version: e.version, bytes: e.bytes });
    });
    const r = await resolver.getRegistry();
    await new Promise((done) => setTimeout(done, 300));
    const stats = resolver.getStats();
    resolver.dispose();
    const idb = createIndexedDbStorage();
    return {
      ok: r.ok,
      stale: r.ok && r.stale,
      version: r.ok ? r.registry.version : undefined,
      notSaved,
      registryNotSaved: stats.registryNotSaved,
      inIndexedDb: (await idb.get('registry'))?.length ?? 0,
      localKeys: Object.keys(localStorage).sort(),
    };
  }, gitUrl);
}

describe('browser storage in Chromium', () => {
  it('keeps a registry too large for localStorage’s share in IndexedDB', async () => {
    const seen = await readInPage(`${git.url}/registry.json`);
    expect(seen).toMatchObject({ ok: true, version: 6, notSaved: [], registryNotSaved: 0 });
    expect(seen.inIndexedDb).toBe(registryText({ version: 6, plugins: 2000 }).length);
    expect(seen.localKeys).toEqual([
      'cartae.marketplace.install-id',
      'cartae.marketplace.registry-highest-version',
    ]);
  });

  it('reports an IndexedDB quota too small for the registry: an event and a count, never swallowed', async () => {
    const cdp = await context.newCDPSession(page);
    const origin = new URL(resolverPage.url).origin;
    // ~700 KB of registry against a 100 KB quota for the page's origin.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 100_000 });
    const seen = await readInPage(`${git.url}/registry.json`);
    expect(seen).toMatchObject({ ok: true, stale: false, version: 6, registryNotSaved: 1, inIndexedDb: 0 });
    expect(seen.notSaved).toEqual([
      { code: 'storage_full', version: 6, bytes: registryText({ version: 6, plugins: 2000 }).length },
    ]);
    // Small state still lands in localStorage.
    expect(seen.localKeys).toContain('cartae.marketplace.install-id');
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  });

  it('moves the copy an earlier release kept in localStorage to IndexedDB on first run, and serves it', async () => {
    const saved = await page.evaluate(async (url) => {
      const { createMarketplaceSourceResolver, createLocalStorage } = (
        globalThis as unknown as { marketplace: typeof Resolver }
      ).marketplace;
      // How earlier releases persisted in browsers: everything in localStorage.
      const resolver = createMarketplaceSourceResolver({
        urlPolicy: { allowLoopbackHttp: true },
        defaultConfig: { type: 'git', gitUrl: url, fallbackOnError: false },
        platform: { storage: createLocalStorage() },
        probes: false,
      });
      const r = await resolver.getRegistry();
      await new Promise((done) => setTimeout(done, 200));
      resolver.dispose();
      return r.ok && localStorage.getItem('cartae.marketplace.registry') !== null;
    }, `${git.url}/registry.json`);
    expect(saved).toBe(true);
    git.setBehaviour('*', { kind: 'status', status: 503 });
    await page.reload();
    await page.waitForFunction(() => 'marketplace' in globalThis);
    const seen = await readInPage(`${git.url}/registry.json`);
    expect(seen).toMatchObject({ ok: true, stale: true, version: 6, notSaved: [] });
    expect(seen.inIndexedDb).toBe(registryText({ version: 6, plugins: 2000 }).length);
    expect(seen.localKeys).not.toContain('cartae.marketplace.registry');
    expect(seen.localKeys).not.toContain('cartae.marketplace.registry-meta');
  });
});
