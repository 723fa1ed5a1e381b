import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GitHost, startGitHost } from '@cartae/local-git-host';
import type { Browser, Page } from 'playwright-core';
import { build, defaultClientConditions, type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../packages/cli/src/stack/ports.ts';
import { realPluginIds, realRegistryText } from '../fixtures/real-registry.ts';
import { launchChromium } from './support/chromium.ts';

const repoRoot = new URL('../../', import.meta.url).pathname;
const webRoot = join(repoRoot, 'apps/web');
/** Screenshots at 1440 and 390 px, light and dark (CARTAE_REAL_SIZE_SHOTS to put them elsewhere). */
const SHOTS = process.env.CARTAE_REAL_SIZE_SHOTS ?? join(repoRoot, 'test-results', 'real-size');

/**
 * The real registry (../shared/data, 6,858 plugins) without the 4 ids today's schema refuses for
 * their capitals, left out until issue 17's "Ids" decides how they are carried: 6,854 plugins,
 * indented as `registry build` writes it (~3.6 MB).
 */
async function realSizeRegistry() {
  const refused = new Set((await realPluginIds()).filter((id) => id !== id.toLowerCase()));
  const lowered = new Set([...refused].map((id) => id.toLowerCase()));
  const document = JSON.parse(await realRegistryText()) as { plugins: { id: string; name: string }[] };
  document.plugins = document.plugins.filter((p) => !refused.has(p.id) && !lowered.has(p.id));
  return { text: JSON.stringify(document, null, 2), plugins: document.plugins };
}

let git: GitHost;
let server: PreviewServer;
let outDir: string;
let browser: Browser;
let appUrl: string;
let registry: Awaited<ReturnType<typeof realSizeRegistry>>;

beforeAll(async () => {
  registry = await realSizeRegistry();
  git = await startGitHost({ files: { '/registry.json': registry.text } });
  // The production build, on the built-in Git registry (no control plane), served by vite preview.
  Object.assign(process.env, {
    VITE_DEFAULT_GIT_URL: `${git.url}/registry.json`,
    VITE_ALLOW_LOOPBACK_HTTP: '1',
  });
  outDir = await mkdtemp(join(tmpdir(), 'cartae-real-size-'));
  const common = {
    root: webRoot,
    configFile: join(webRoot, 'vite.config.ts'),
    logLevel: 'warn' as const,
    resolve: { conditions: ['@cartae/source', ...defaultClientConditions] },
  };
  await build({ ...common, build: { outDir, emptyOutDir: true } });
  const port = await freePort();
  server = await preview({
    ...common,
    build: { outDir },
    preview: { host: '127.0.0.1', port, strictPort: true },
  });
  appUrl = `http://127.0.0.1:${port}/`;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await git?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const count = (page: Page) => page.getByRole('status', { name: 'Plugin count' });
const list = (page: Page) => page.getByRole('list', { name: 'Plugins', exact: true });
const search = (page: Page) => page.getByRole('searchbox', { name: 'Search plugins' });

async function openApp(width = 1440, height = 900, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  await page.goto(appUrl);
  await expect.poll(() => count(page).textContent(), { timeout: 30_000 }).toBe('6,854 plugins');
  return page;
}

describe('the reference app with the real-size registry (6,854 plugins), production build in Chromium', () => {
  it('shows the plugins and says how many, drawing only the cards in view', async () => {
    expect(registry.plugins).toHaveLength(6854);
    const page = await openApp();
    const first = registry.plugins[0]?.name as string;
    await expect
      .poll(() => list(page).getByRole('article', { name: first, exact: true }).isVisible())
      .toBe(true);
    const drawn = await list(page).locator(':scope > li').count();
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(200);
    expect(await list(page).locator(':scope > li').first().getAttribute('aria-setsize')).toBe('6854');
    await page.context().close();
  });

  it('search finds a real plugin by its name, and clearing brings every plugin back', async () => {
    const page = await openApp();
    await search(page).fill('Dataview');
    await expect.poll(() => count(page).textContent()).toMatch(/^Showing \d+ of 6,854 plugins$/);
    await expect
      .poll(() => list(page).getByRole('article', { name: 'Dataview', exact: true }).isVisible())
      .toBe(true);
    await search(page).fill('');
    await expect.poll(() => count(page).textContent()).toBe('6,854 plugins');
    const first = registry.plugins[0]?.name as string;
    await expect
      .poll(() => list(page).getByRole('article', { name: first, exact: true }).isVisible())
      .toBe(true);
    await page.context().close();
  });

  it('scrolling to the end shows the last plugin', async () => {
    const page = await openApp();
    const last = registry.plugins.at(-1)?.name as string;
    const lastCard = list(page).getByRole('article', { name: last, exact: true });
    // Rows are measured as they are drawn, so the page's end moves while it is reached: keep going.
    await expect
      .poll(
        async () => {
          await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
          return lastCard.isVisible();
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    expect(await list(page).locator(':scope > li').last().getAttribute('aria-posinset')).toBe('6854');
    await page.context().close();
  });

  it('says the latest read’s network and processing time apart', async () => {
    const page = await openApp();
    const stats = page.getByRole('region', { name: 'Live statistics' });
    await expect.poll(() => stats.textContent()).toMatch(/Last read: network\d+ ms/);
    expect(await stats.textContent()).toMatch(/Last read: processing\d+ ms/);
    await page.context().close();
  });

  it('looks right at 1440 and 390 px, light and dark (screenshots for a person to check)', async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const [width, height] of [
      [1440, 900],
      [390, 844],
    ] as const) {
      for (const scheme of ['light', 'dark'] as const) {
        const page = await openApp(width, height, scheme);
        await list(page).getByRole('article').first().waitFor();
        await page.screenshot({ path: join(SHOTS, `web-${width}-${scheme}.png`) });
        await page.evaluate(() => window.scrollTo(0, 4_000));
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(SHOTS, `web-${width}-${scheme}-scrolled.png`) });
        await page.context().close();
      }
    }
  });
});
