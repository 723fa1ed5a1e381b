import { type GitHost, startGitHost } from '@cartae/local-git-host';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryText } from '../../../../tests/fixtures/registry-builder.ts';
import type * as Resolver from '../../src/index.ts';
import { launchChromium, type ResolverPage, serveResolverPage } from './resolver-page.ts';

/**
 * `checkHealth()` — what the admin's Monitoring shows — in a real browser, against a Git host that
 * answers with `cache-control: max-age=300` as raw.githubusercontent.com does: a check must see
 * the source, never the browser's HTTP cache.
 */
let browser: Browser;
let resolverPage: ResolverPage;
let git: GitHost;
let page: Page;

beforeAll(async () => {
  resolverPage = await serveResolverPage();
  git = await startGitHost({ files: { '/registry.json': registryText({ version: 4 }) } });
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

/** checkHealth() of one resolver kept in the page between calls; Git's check only. */
function checkGitInPage(): Promise<{ ok: boolean; status?: number; rateLimited: boolean; code?: string }> {
  return page.evaluate(async (gitUrl) => {
    const scope = globalThis as unknown as {
      marketplace: typeof Resolver;
      resolver?: Resolver.MarketplaceSourceResolver;
    };
    scope.resolver ??= scope.marketplace.createMarketplaceSourceResolver({
      urlPolicy: { allowLoopbackHttp: true },
      defaultConfig: { type: 'git', gitUrl },
      probes: false,
    });
    const checks = await scope.resolver.checkHealth();
    const check = checks.find((c) => c.source === 'git');
    return {
      ok: check?.ok ?? false,
      rateLimited: check?.rateLimited ?? false,
      ...(check?.status === undefined ? {} : { status: check.status }),
      ...(check?.code === undefined ? {} : { code: check.code }),
    };
  }, `${git.url}/registry.json`);
}

describe('checkHealth in Chromium', () => {
  it('sees a source that started rate-limiting, not the 200 the browser cached for 5 minutes', async () => {
    expect(await checkGitInPage()).toEqual({ ok: true, status: 200, rateLimited: false });
    const gets = () => git.requests.filter((r) => r.method === 'GET').length;
    const asked = gets();
    git.setBehaviour('/registry.json', { kind: 'rate-limited', retryAfterSeconds: 60 });
    expect(await checkGitInPage()).toEqual({
      ok: false,
      status: 429,
      rateLimited: true,
      code: 'source_rate_limited',
    });
    expect(gets()).toBe(asked + 1);
  });
});
