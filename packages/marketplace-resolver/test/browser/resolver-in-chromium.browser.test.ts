import { type GitHost, startGitHost } from '@cartae/local-git-host';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registryText } from '../../../../tests/fixtures/registry-builder.ts';
import type * as Resolver from '../../src/index.ts';
import { launchChromium, type ResolverPage, serveResolverPage } from './resolver-page.ts';

/**
 * The resolver in a real browser: Debian's Chromium through playwright-core, the resolver
 * bundled for the browser, Git and CDN on loopback origins other than the page's (so CORS and
 * preflights are real), and localStorage persistence across a page reload.
 */
let browser: Browser;
let resolverPage: ResolverPage;
let pageUrl: string;
let git: GitHost;
let cdn: GitHost;
let page: Page;
let script: string;

beforeAll(async () => {
  resolverPage = await serveResolverPage();
  pageUrl = resolverPage.url;
  script = resolverPage.script;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await resolverPage?.close();
});

beforeEach(async (context) => {
  // Revalidate every time, so the browser's HTTP cache does not hide what the hosts answer.
  git = await startGitHost({
    files: { '/registry.json': registryText({ version: 4 }) },
    cacheControl: 'no-cache',
  });
  cdn = await startGitHost({
    files: { '/api/plugins': registryText({ version: 4 }) },
    cacheControl: 'no-cache',
  });
  const browserContext = await browser.newContext();
  page = await browserContext.newPage();
  await page.goto(pageUrl);
  await page.waitForFunction(() => 'marketplace' in globalThis);
  context.onTestFinished(async () => {
    await browserContext.close();
    await Promise.all([git.close(), cdn.close()]);
  });
});

/** Runs getRegistry() in the page with a fresh resolver persisting to localStorage. */
function registryInPage(): Promise<{
  ok: boolean;
  source?: string;
  stale?: boolean;
  version?: number;
  error?: string;
}> {
  return page.evaluate(
    async ({ gitUrl, cdnUrl }) => {
      const { createMarketplaceSourceResolver, createLocalStorage } = (
        globalThis as unknown as { marketplace: typeof Resolver }
      ).marketplace;
      const resolver = createMarketplaceSourceResolver({
        urlPolicy: { allowLoopbackHttp: true },
        defaultConfig: { type: 'git', gitUrl, cloudflareUrl: cdnUrl },
        platform: { storage: createLocalStorage() },
        requestTimeoutMs: 2000,
      });
      const r = await resolver.getRegistry();
      resolver.dispose();
      return r.ok
        ? { ok: true, source: r.source, stale: r.stale, version: r.registry.version }
        : { ok: false, error: r.error.message };
    },
    { gitUrl: `${git.url}/registry.json`, cdnUrl: cdn.url },
  );
}

describe('the resolver in Chromium', () => {
  it('reads the registry from Git across origins', async () => {
    expect(await registryInPage()).toEqual({ ok: true, source: 'git', stale: false, version: 4 });
  });

  it('falls back to the CDN when Git rate-limits the browser', async () => {
    git.setBehaviour('/registry.json', { kind: 'rate-limited', retryAfterSeconds: 60 });
    expect(await registryInPage()).toMatchObject({ ok: true, source: 'cloudflare', stale: false });
  });

  it('after a reload with every source down, serves the copy persisted in localStorage, marked stale', async () => {
    expect((await registryInPage()).ok).toBe(true);
    git.setBehaviour('*', { kind: 'status', status: 500 });
    cdn.setBehaviour('*', { kind: 'status', status: 503 });
    await page.reload();
    await page.waitForFunction(() => 'marketplace' in globalThis);
    expect(await registryInPage()).toEqual({ ok: true, source: 'git', stale: true, version: 4 });
    const keys = await page.evaluate(() => Object.keys(localStorage).sort());
    expect(keys).toEqual(
      expect.arrayContaining([
        'cartae.marketplace.install-id',
        'cartae.marketplace.registry',
        'cartae.marketplace.registry-meta',
      ]),
    );
  });

  it('persists the registry in IndexedDB and small state in localStorage by default; the bundle loads no Node module', async () => {
    expect(script).not.toMatch(/\bfrom\s*["']node:|\bimport\s*\(\s*["']node:|\brequire\(\s*["']node:/);
    const result = await page.evaluate(async (gitUrl) => {
      const { createMarketplaceSourceResolver, createIndexedDbStorage } = (
        globalThis as unknown as { marketplace: typeof Resolver }
      ).marketplace;
      const resolver = createMarketplaceSourceResolver({
        urlPolicy: { allowLoopbackHttp: true },
        defaultConfig: { type: 'git', gitUrl },
      });
      const r = await resolver.getRegistry();
      await new Promise((done) => setTimeout(done, 100));
      resolver.dispose();
      const idb = createIndexedDbStorage();
      return {
        ok: r.ok,
        keys: Object.keys(localStorage).sort(),
        inIndexedDb: {
          registry: (await idb.get('registry'))?.length ?? 0,
          meta: JSON.parse((await idb.get('registry-meta')) ?? '{}').version,
        },
      };
    }, `${git.url}/registry.json`);
    expect(result).toEqual({
      ok: true,
      keys: ['cartae.marketplace.install-id', 'cartae.marketplace.registry-highest-version'],
      inIndexedDb: { registry: registryText({ version: 4 }).length, meta: 4 },
    });
  });

  it('a registry too large for a full localStorage is still returned, and a warning says it will not survive a reload', async () => {
    git.setFile('/registry.json', registryText({ version: 5, plugins: 500 }));
    const uncaught: string[] = [];
    page.on('pageerror', (error) => uncaught.push(error.message));
    const seen = await page.evaluate(async (gitUrl) => {
      const { createMarketplaceSourceResolver, createLocalStorage } = (
        globalThis as unknown as { marketplace: typeof Resolver }
      ).marketplace;
      const rejections: string[] = [];
      globalThis.addEventListener('unhandledrejection', (e) => rejections.push(String(e.reason)));
      // Fill the origin's quota, halving the chunk at each refusal, until nothing sizeable fits.
      let chunk = 'x'.repeat(1 << 20);
      for (let i = 0; chunk.length >= 64; i++) {
        try {
          localStorage.setItem(`filler.${i}`, chunk);
        } catch {
          chunk = chunk.slice(0, chunk.length / 2);
        }
      }
      const warnings: { message: string; details?: Record<string, unknown> }[] = [];
      const resolver = createMarketplaceSourceResolver({
        urlPolicy: { allowLoopbackHttp: true },
        defaultConfig: { type: 'git', gitUrl },
        platform: {
          // localStorage on purpose (an app may still choose it): its quota errors are reported too.
          storage: createLocalStorage(),
          logger: (level, message, details) => {
            if (level === 'warn') warnings.push(details ? { message, details } : { message });
          },
        },
      });
      const notSaved: unknown[] = [];
      resolver.subscribe((e) => {
        if (e.type === 'registry-not-saved')
          notSaved.push({ type: e.type, version: e.version, code: e.code });
      });
      const r = await resolver.getRegistry();
      await new Promise((done) => setTimeout(done, 100));
      resolver.dispose();
      return {
        ok: r.ok,
        plugins: r.ok ? r.registry.plugins.length : 0,
        warnings,
        notSaved,
        rejections,
        kept: localStorage.getItem('cartae.marketplace.registry'),
      };
    }, `${git.url}/registry.json`);
    expect(seen).toMatchObject({ ok: true, plugins: 500, rejections: [], kept: null });
    expect(seen.warnings).toHaveLength(1);
    expect(seen.warnings[0]?.message).toMatch(/registry version 5 \([\d.]+ MB\).*will not survive a reload/);
    expect(seen.warnings[0]?.details).toMatchObject({ code: 'storage_full' });
    // An app can tell its user: the event says the same.
    expect(seen.notSaved).toEqual([{ type: 'registry-not-saved', version: 5, code: 'storage_full' }]);
    expect(uncaught).toEqual([]);
  });
});
