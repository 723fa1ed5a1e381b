import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitHost } from '@cartae/local-git-host';
import type { Browser, Page } from 'playwright-core';
import { build, createServer, defaultClientConditions, preview } from 'vite';
import { freePort } from '../../packages/cli/src/stack/ports.ts';

/**
 * The reference app measured in Chromium for the real-size bench (`real-registry.bench.ts`): a
 * production build served by `vite preview`, opened in fresh contexts with probes for the first
 * card's paint and long tasks; search and clearing times, scrolling frame gaps, idle CPU, and the
 * registry requests of a first load under the development server.
 */

export interface ReferenceApp {
  readonly url: string;
  close(): Promise<void>;
}

/** The reference app at `root`, built for production against `gitUrl` and served by `vite preview`. */
export async function startReferenceApp(root: string, gitUrl: string): Promise<ReferenceApp> {
  const outDir = await mkdtemp(join(tmpdir(), 'cartae-web-bench-'));
  const env = {
    VITE_DEFAULT_GIT_URL: gitUrl,
    VITE_CONFIG_URL: gitUrl.replace(/\/registry\.json$/, '/api/config'),
    VITE_ALLOW_LOOPBACK_HTTP: '1',
  };
  Object.assign(process.env, env);
  const common = {
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'warn' as const,
    // The workspace packages from their sources, whichever vite.config.ts the checkout has.
    resolve: { conditions: ['@cartae/source', ...defaultClientConditions] },
  };
  await build({ ...common, build: { outDir, emptyOutDir: true } });
  const port = await freePort();
  const server = await preview({
    ...common,
    build: { outDir },
    preview: { host: '127.0.0.1', port, strictPort: true },
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

/** Runs in the page before its scripts: when the first card is on screen, and every long task. */
const pageProbe = () => {
  const w = window as unknown as { __firstCardAt?: number; __longTasks: PerformanceEntry[] };
  w.__longTasks = [];
  new PerformanceObserver((list) => w.__longTasks.push(...list.getEntries())).observe({
    type: 'longtask',
    buffered: true,
  });
  const seen = new MutationObserver(() => {
    if (w.__firstCardAt !== undefined || !document.querySelector('[aria-label="Plugins"] article')) return;
    seen.disconnect();
    // The frame that draws the card, then the task after its paint.
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        w.__firstCardAt = performance.now();
      };
      channel.port2.postMessage(null);
    });
  });
  seen.observe(document, { childList: true, subtree: true });
};

export interface Opening {
  /** Navigation start → first card painted. */
  toCardMs: number;
  /** The registry's last byte → first card painted. */
  afterRegistryMs: number;
  /** The registry in the page's hands (`getRegistry()` resolved) → first card painted; NaN without the mark. */
  inHandMs: number;
  elements: number;
  pageHeight: number;
}

export async function openOnce(browser: Browser, url: string): Promise<Opening> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(pageProbe);
  // tsx keeps function names with a helper the page does not have.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.goto(url);
  await page.waitForFunction(() => (window as { __firstCardAt?: number }).__firstCardAt !== undefined, null, {
    timeout: 30_000,
  });
  const opening = await page.evaluate(() => {
    const at = (window as unknown as { __firstCardAt: number }).__firstCardAt;
    const registry = performance
      .getEntriesByType('resource')
      .filter((e) => e.name.endsWith('/registry.json'))
      .at(-1) as PerformanceResourceTiming | undefined;
    return {
      toCardMs: at,
      afterRegistryMs: at - (registry?.responseEnd ?? Number.NaN),
      inHandMs: at - (performance.getEntriesByName('cartae:registry-read').at(-1)?.startTime ?? Number.NaN),
      elements: document.querySelectorAll('*').length,
      pageHeight: document.documentElement.scrollHeight,
    };
  });
  await context.close();
  return opening;
}

/**
 * Time from a change of the search box to the next frame painted with the list it asks for: the
 * query (the count says "Showing …"), then clearing it (the count says the total again).
 */
export async function searchTimes(page: Page, query: string): Promise<{ search: number; clearing: number }> {
  const set = (value: string) =>
    page.evaluate(
      (value) =>
        new Promise<number>((resolve) => {
          const input = document.querySelector('input[type="search"]') as HTMLInputElement;
          // The count next to the list, in both the current app and the one before it.
          const count = () => document.querySelector('.cartae-web__list-bar p')?.textContent ?? '';
          const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
          const started = performance.now();
          setter?.call(input, value);
          input.dispatchEvent(new Event('input', { bubbles: true }));
          const painted = () => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => resolve(performance.now() - started);
            channel.port2.postMessage(null);
          };
          // Inside a frame callback, the paint follows it; outside, the next frame paints.
          const check = (inFrame: boolean) => {
            if (count().startsWith('Showing') !== (value !== '')) requestAnimationFrame(() => check(true));
            else if (inFrame) painted();
            else requestAnimationFrame(painted);
          };
          check(false);
        }),
      value,
    );
  const search = await set(query);
  const clearing = await set('');
  return { search, clearing };
}

/** Scrolls the window to the end, 1,500 px a frame; the longest gap between frames. */
export async function scrollGaps(page: Page): Promise<{ worstMs: number; frames: number; over50: number }> {
  return page.evaluate(
    () =>
      new Promise<{ worstMs: number; frames: number; over50: number }>((resolve) => {
        const gaps: number[] = [];
        let last = performance.now();
        const end = performance.now() + 6_000;
        const step = (now: number) => {
          gaps.push(now - last);
          last = now;
          window.scrollBy(0, 1_500);
          const bottom = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
          if (bottom || now > end) {
            const measured = gaps.slice(1);
            resolve({
              worstMs: Math.max(...measured),
              frames: measured.length,
              over50: measured.filter((g) => g > 50).length,
            });
          } else requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
  );
}

export async function idleFigures(
  page: Page,
): Promise<{ cpuShare: number; longTasks: number; blockedMs: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => {
    const { metrics } = (await cdp.send('Performance.getMetrics')) as {
      metrics: { name: string; value: number }[];
    };
    return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
  };
  const tasksBefore = await page.evaluate(
    () => (window as unknown as { __longTasks: unknown[] }).__longTasks.length,
  );
  const cpuBefore = await taskSeconds();
  const started = performance.now();
  await page.waitForTimeout(10_000);
  const cpu = (await taskSeconds()) - cpuBefore;
  const elapsed = (performance.now() - started) / 1000;
  const tasks = await page.evaluate(
    (from) =>
      (window as unknown as { __longTasks: PerformanceEntry[] }).__longTasks
        .slice(from)
        .map((t) => t.duration),
    tasksBefore,
  );
  await cdp.detach();
  return {
    cpuShare: cpu / elapsed,
    longTasks: tasks.length,
    blockedMs: tasks.reduce((a, b) => a + Math.max(0, b - 50), 0),
  };
}

/** A fresh page with the registry the Git host serves now, left idle for 10 s after it shows. */
export async function idleWith(browser: Browser, url: string) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(pageProbe);
  await page.goto(url);
  await page.waitForFunction(() => (window as { __firstCardAt?: number }).__firstCardAt !== undefined);
  await page.waitForTimeout(1_000);
  const idle = await idleFigures(page);
  await context.close();
  return idle;
}

export interface AppFigures {
  sample: Opening[];
  real: Opening[];
  search: number[];
  clearing: number[];
  idle: { cpuShare: number; longTasks: number; blockedMs: number };
  /** The same with the 38-plugin sample: what the page costs idle whatever the registry's size. */
  idleSample: { cpuShare: number; longTasks: number; blockedMs: number };
  scroll: { worstMs: number; frames: number; over50: number; longTasks: number };
  devRegistryRequests: number;
}

/** One build of the reference app, measured with the 38-plugin sample and the real-size registry. */
export async function measureApp(
  browser: Browser,
  git: GitHost,
  root: string,
  sample: string,
  real: string,
): Promise<AppFigures> {
  const gitUrl = `${git.url}/registry.json`;
  const app = await startReferenceApp(root, gitUrl);
  const sampleRuns: Opening[] = [];
  const realRuns: Opening[] = [];
  try {
    for (let round = 0; round < 6; round++) {
      git.setFile('/registry.json', sample);
      const s = await openOnce(browser, app.url);
      git.setFile('/registry.json', real);
      const r = await openOnce(browser, app.url);
      // The first round warms the server and the browser's compile cache for both.
      if (round > 0) {
        sampleRuns.push(s);
        realRuns.push(r);
      }
    }
    git.setFile('/registry.json', sample);
    const idleSample = await idleWith(browser, app.url);
    git.setFile('/registry.json', real);
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(pageProbe);
    // tsx keeps function names with a helper the page does not have.
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await page.goto(app.url);
    await page.waitForFunction(() => (window as { __firstCardAt?: number }).__firstCardAt !== undefined);
    await page.waitForTimeout(1_000);
    const idle = await idleFigures(page);
    const search: number[] = [];
    const clearing: number[] = [];
    for (let round = 0; round < 5; round++) {
      const times = await searchTimes(page, 'dataview');
      search.push(times.search);
      clearing.push(times.clearing);
    }
    const tasksBefore = await page.evaluate(
      () => (window as unknown as { __longTasks: unknown[] }).__longTasks.length,
    );
    const gaps = await scrollGaps(page);
    const scrollTasks = await page.evaluate(
      (from) => (window as unknown as { __longTasks: unknown[] }).__longTasks.length - from,
      tasksBefore,
    );
    await context.close();
    return {
      sample: sampleRuns,
      real: realRuns,
      search,
      clearing,
      idle,
      idleSample,
      scroll: { ...gaps, longTasks: scrollTasks },
      devRegistryRequests: await devFirstLoadRequests(browser, git, root),
    };
  } finally {
    await app.close();
  }
}

/** Registry requests on the first load of the development server (`npm start`: React StrictMode). */
export async function devFirstLoadRequests(browser: Browser, git: GitHost, root: string): Promise<number> {
  const port = await freePort();
  const server = await createServer({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'warn',
    resolve: { conditions: ['@cartae/source', ...defaultClientConditions] },
    server: { host: '127.0.0.1', port, strictPort: true, fs: { strict: false } },
  });
  await server.listen();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(pageProbe);
    // tsx keeps function names with a helper the page does not have.
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    // A first visit warms Vite's dependency optimisation (a reload of its own); the second counts.
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(
      () => (window as { __firstCardAt?: number }).__firstCardAt !== undefined,
      null,
      {
        timeout: 60_000,
      },
    );
    await context.close();
    const counted = await browser.newContext();
    const fresh = await counted.newPage();
    await fresh.addInitScript(pageProbe);
    // tsx keeps function names with a helper the page does not have.
    await fresh.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    const before = git.requests.filter((r) => r.path === '/registry.json').length;
    await fresh.goto(`http://127.0.0.1:${port}/`);
    await fresh.waitForFunction(
      () => (window as { __firstCardAt?: number }).__firstCardAt !== undefined,
      null,
      {
        timeout: 60_000,
      },
    );
    await fresh.waitForTimeout(3_000);
    await counted.close();
    return git.requests.filter((r) => r.path === '/registry.json').length - before;
  } finally {
    await server.close();
  }
}
