import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type GitHost, startGitHost } from '@cartae/local-git-host';
import { parseUsageReport } from '@cartae/marketplace-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registryText } from '../../../../tests/fixtures/registry-builder.ts';
import type * as Resolver from '../../src/index.ts';
import { launchChromium, type ResolverPage, serveResolverPage } from './resolver-page.ts';

/**
 * Usage reports in a real browser: the config endpoint on an origin other than the page's, with
 * the Worker's CORS (preflights, `Allow-Headers: If-None-Match, Content-Type`), so what a browser
 * adds to a report-carrying poll is real. The page runs its resolver on a clock of its own, so
 * minutes pass in milliseconds.
 */
let browser: Browser;
let resolverPage: ResolverPage;
let configServer: Server;
let configUrl: string;
let git: GitHost;
let page: Page;

/** What the config endpoint received. */
const received: { method: string; body: string; contentType: string | undefined }[] = [];
/** `new`: a Worker that takes reports; `old`: one before them (405 to POST, preflight for GET only). */
let worker: 'new' | 'old' = 'new';
const CONFIG_ETAG = '"c1"';

beforeAll(async () => {
  resolverPage = await serveResolverPage();
  git = await startGitHost({
    files: { '/registry.json': registryText({ version: 4 }) },
    cacheControl: 'no-cache',
  });
  const config = JSON.stringify({
    config: { type: 'git', priority: ['git'], gitUrl: `${git.url}/registry.json`, cacheTtlSeconds: 300 },
    version: 1,
  });
  configServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      received.push({
        method,
        body: Buffer.concat(chunks).toString('utf8'),
        contentType: req.headers['content-type'],
      });
      const cors = { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'ETag' };
      if (method === 'OPTIONS') {
        res.writeHead(204, {
          ...cors,
          'access-control-allow-methods':
            worker === 'new' ? 'GET, HEAD, POST, OPTIONS' : 'GET, HEAD, OPTIONS',
          'access-control-allow-headers': 'If-None-Match, If-Modified-Since, Content-Type',
          'access-control-max-age': '86400',
        });
        res.end();
        return;
      }
      if (method === 'POST' && worker === 'old') {
        res.writeHead(405, { ...cors, 'content-type': 'application/json', allow: 'GET, HEAD, OPTIONS' });
        res.end('{"error":"method_not_allowed"}');
        return;
      }
      const headers = { ...cors, etag: CONFIG_ETAG, 'cache-control': 'no-cache' };
      if (req.headers['if-none-match'] === CONFIG_ETAG) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      res.writeHead(200, { ...headers, 'content-type': 'application/json' });
      res.end(config);
    });
  });
  await new Promise<void>((r) => configServer.listen(0, '127.0.0.1', r));
  configUrl = `http://127.0.0.1:${(configServer.address() as AddressInfo).port}/api/config`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await git?.close();
  await new Promise((r) => configServer?.close(r));
  await resolverPage?.close();
});

/** A fresh browser context (its own preflight cache and storage) with the resolver's page open. */
async function openPage(context: { onTestFinished(fn: () => Promise<void>): void }): Promise<void> {
  const browserContext = await browser.newContext();
  page = await browserContext.newPage();
  await page.goto(resolverPage.url);
  await page.waitForFunction(() => 'marketplace' in globalThis);
  context.onTestFinished(() => browserContext.close());
}

beforeEach(async (context) => {
  received.length = 0;
  await openPage(context);
});

/**
 * In the page: a resolver polling `configUrl` every 15 s of its own clock, three registry reads,
 * then polls until two minutes have passed. Returns the config version it ended with.
 */
function runInPage(telemetry: boolean): Promise<{ version: number | undefined; reads: boolean[] }> {
  return page.evaluate(
    async ({ configUrl, gitUrl, telemetry }) => {
      const { createMarketplaceSourceResolver } = (globalThis as unknown as { marketplace: typeof Resolver })
        .marketplace;
      let now = Math.ceil(Date.now() / 60_000) * 60_000 + 1_000;
      const start = now;
      const timers = new Map<number, { at: number; fn: () => void }>();
      let nextId = 1;
      const clock = {
        now: () => now,
        setTimeout: (fn: () => void, ms: number) => {
          timers.set(nextId, { at: now + ms, fn });
          return nextId++;
        },
        clearTimeout: (id: unknown) => {
          timers.delete(id as number);
        },
      };
      const advance = (ms: number) => {
        const until = now + ms;
        for (;;) {
          const due = [...timers.entries()]
            .filter(([, t]) => t.at <= until)
            .sort((a, b) => a[1].at - b[1].at)[0];
          if (!due) break;
          timers.delete(due[0]);
          now = Math.max(now, due[1].at);
          due[1].fn();
        }
        now = until;
      };
      const resolver = createMarketplaceSourceResolver({
        configUrl,
        telemetry,
        urlPolicy: { allowLoopbackHttp: true },
        defaultConfig: { type: 'git', gitUrl },
        platform: { clock, random: () => 0 },
      });
      const reads: boolean[] = [];
      for (let i = 0; i < 3; i++) reads.push((await resolver.getRegistry()).ok);
      while (now < start + 2 * 60_000) {
        advance(15_000);
        // The poll this fired is answered and judged once the config's fetchedAt is this moment.
        for (let waited = 0; resolver.getHealth().config.fetchedAt !== now && waited < 5_000; waited += 10)
          await new Promise((r) => setTimeout(r, 10));
      }
      const version = (await resolver.getConfig()).version;
      resolver.dispose();
      return { version, reads };
    },
    { configUrl, gitUrl: `${git.url}/registry.json`, telemetry },
  );
}

const count = (method: string) => received.filter((r) => r.method === method).length;

describe('usage reports in Chromium', () => {
  it('ride on the config poll as a text/plain POST: the same requests and preflights as with telemetry off', async (context) => {
    worker = 'new';
    expect(await runInPage(false)).toEqual({ version: 1, reads: [true, true, true] });
    const off = {
      requests: count('GET') + count('POST'),
      posts: count('POST'),
      preflights: count('OPTIONS'),
    };
    received.length = 0;
    await openPage(context);
    expect(await runInPage(true)).toEqual({ version: 1, reads: [true, true, true] });
    const posts = received.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1); // the minute with the reads; the next one was idle
    expect(posts[0]?.contentType).toBe('text/plain;charset=UTF-8');
    expect(parseUsageReport(posts[0]?.body ?? '', Date.now())).toMatchObject({
      ok: true,
      value: { sources: { git: { requests: 3, successes: 3 } } },
    });
    // A report adds no preflight: the one a conditional poll (If-None-Match) needs anyway covers
    // the POST too (a CORS-safelisted method, text/plain a safelisted content type).
    expect(off).toMatchObject({ requests: 9, posts: 0 });
    expect({ requests: count('GET') + count('POST'), posts: 0, preflights: count('OPTIONS') }).toEqual(off);
  });

  it('an older Worker (405 to POST): polling goes on with GETs, one extra request in the session', async () => {
    worker = 'old';
    expect(await runInPage(true)).toEqual({ version: 1, reads: [true, true, true] });
    const methods = received.filter((r) => r.method !== 'OPTIONS').map((r) => r.method);
    expect(methods.filter((m) => m === 'POST')).toHaveLength(1);
    expect(methods[methods.indexOf('POST') + 1]).toBe('GET');
    // The first load, 8 polls, and the GET that answered for the refused POST.
    expect(methods).toHaveLength(1 + 8 + 1);
  });
});
