import { createHash } from 'node:crypto';
import { parseUsageReport, type UsageReport } from '@cartae/marketplace-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResolverEvent } from '../src/events.ts';
import type { MarketplaceSourceResolverOptions } from '../src/resolver-options.ts';
import { SDK_VERSION } from '../src/telemetry/sdk-version.ts';
import { type ConfigEndpoint, startConfigEndpoint } from './support/config-endpoint.ts';
import { createFakeClock } from './support/fake-clock.ts';
import { type LoopbackSources, loopbackConfig, startLoopbackSources } from './support/loopback-sources.ts';

const M = 60_000;
const POLL = 15_000;
const REG = '/registry/registry.json';
const INSTALL_ID = 'install-7c1e9a52-4b0d-4e61-a3f8-telemetry';

let s: LoopbackSources;
let endpoint: ConfigEndpoint;
beforeEach(async () => {
  s = await startLoopbackSources();
  s.setRegistry({ version: 5 });
  endpoint = await startConfigEndpoint();
  endpoint.setConfig(loopbackConfig(s, { type: 'git', cacheTtlSeconds: 300 }), 1);
});
afterEach(async () => {
  await s.close();
  await endpoint.close();
});

/** Every request an app sent, as its fetch saw it, at the app's (fake) time. */
interface Sent {
  readonly at: number;
  readonly method: string;
  readonly url: string;
  readonly headers: [string, string][];
  readonly body: string | undefined;
}

/**
 * An app on a fake clock that starts one second into a minute: config from the endpoint, polled
 * every 15 s exactly (no jitter), registry from the loopback Git host and CDN.
 */
async function startApp(options: MarketplaceSourceResolverOptions = {}) {
  const clock = createFakeClock(Math.ceil(Date.now() / M) * M + 1_000);
  const sent: Sent[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    sent.push({
      at: clock.now(),
      method: init?.method ?? 'GET',
      url: String(input),
      headers: [...new Headers(init?.headers).entries()],
      body: typeof init?.body === 'string' ? init.body : undefined,
    });
    return globalThis.fetch(input, init);
  };
  const r = s.resolver({
    configUrl: endpoint.url,
    installId: INSTALL_ID,
    ...options,
    platform: { clock, fetch, random: () => 0 },
  });
  const start = clock.now();
  await r.getConfig();
  /** One background poll: time moves 15 s, the endpoint is asked, the answer is judged. */
  const poll = async () => {
    const asked = endpoint.requests.length;
    clock.advance(POLL);
    await expect.poll(() => endpoint.requests.length).toBeGreaterThan(asked);
    await expect.poll(() => r.getHealth().config.fetchedAt).toBe(clock.now());
  };
  /** Polls until the clock is `n` minutes after the start (the first poll of that minute included). */
  const pollUntilMinute = async (n: number) => {
    while (clock.now() < start + n * M) await poll();
  };
  const reportsSent = () =>
    sent
      .filter((q) => q.method === 'POST')
      .map((q) => {
        const parsed = parseUsageReport(q.body ?? '', q.at);
        if (!parsed.ok) throw parsed.error;
        return { at: q.at, report: parsed.value };
      });
  return { clock, r, sent, start, poll, pollUntilMinute, reportsSent };
}

/** Three registry reads, all answered by Git. */
async function traffic(r: Awaited<ReturnType<typeof startApp>>['r']) {
  for (let i = 0; i < 3; i++) expect((await r.getRegistry()).ok).toBe(true);
}

describe('usage reports', () => {
  it('count per kind what happened (429, 500, an HTML 200, a timeout, 304s, fallbacks), reported with a config poll', async () => {
    const app = await startApp({ requestTimeoutMs: 500 });
    const read = async () => expect((await app.r.getRegistry()).ok).toBe(true);
    await read(); // Git 200
    s.git.setBehaviour(REG, { kind: 'status', status: 500 });
    await read(); // Git 500 → the CDN, 200
    s.git.setBehaviour(REG, { kind: 'serve' });
    await read(); // Git 304
    s.git.setBehaviour(REG, { kind: 'body', body: '<!doctype html><title>Sign in</title>' });
    await read(); // Git's HTML page refused → the CDN, 304
    s.git.setBehaviour(REG, { kind: 'serve' });
    await read(); // Git 304
    s.git.setBehaviour(REG, { kind: 'hang' });
    const asked = s.gitRequests(REG);
    const hung = app.r.getRegistry();
    await expect.poll(() => s.gitRequests(REG)).toBe(asked + 1);
    app.clock.advance(500); // Git's deadline → the CDN, 304
    expect((await hung).ok).toBe(true);
    s.git.setBehaviour(REG, { kind: 'rate-limited', retryAfterSeconds: 60 });
    await read(); // Git 429 → the CDN, 304

    await app.pollUntilMinute(1);
    const reports = app.reportsSent();
    expect(reports).toHaveLength(1);
    expect(reports[0]?.report).toEqual<UsageReport>({
      schemaVersion: 1,
      sdkVersion: SDK_VERSION,
      configVersion: 1,
      installDay: expect.stringMatching(/^[0-9a-f]{16}$/),
      minute: app.start - 1_000,
      staleServes: 0,
      sources: {
        git: {
          requests: 7,
          successes: 3,
          notModified: 2,
          errors: 4,
          rateLimited: 1,
          timeouts: 1,
          refused: 1,
          fallbacks: 0,
          // The fake clock stands still during loopback requests: 0 ms, but for the 500 ms deadline.
          latency: [6, 0, 0, 1, 0, 0, 0, 0],
          quota: { remaining: 0, limit: 60, resetAt: expect.any(Number) },
        },
        cloudflare: {
          requests: 4,
          successes: 4,
          notModified: 3,
          errors: 0,
          rateLimited: 0,
          timeouts: 0,
          refused: 0,
          fallbacks: 4,
          latency: [4, 0, 0, 0, 0, 0, 0, 0],
        },
      },
    });
    // The stats the app sees count the same attempts.
    expect(app.r.getStats().perSource.git).toMatchObject({
      requests: 7,
      successes: 3,
      errors: 4,
      rateLimited: 1,
    });
  });

  it('count stale serves', async () => {
    const app = await startApp();
    await traffic(app.r);
    s.git.setBehaviour('*', { kind: 'status', status: 500 });
    s.cdn.setBehaviour('*', { kind: 'status', status: 500 });
    expect(await app.r.getRegistry()).toMatchObject({ ok: true, stale: true });
    await app.pollUntilMinute(1);
    expect(app.reportsSent()[0]?.report).toMatchObject({
      staleServes: 1,
      sources: { git: { requests: 4, successes: 3, errors: 1 }, cloudflare: { requests: 1, errors: 1 } },
    });
  });

  it('ride only on config polls: with telemetry on and off the app sends the same requests, to the same places', async () => {
    const run = async (options: MarketplaceSourceResolverOptions) => {
      const app = await startApp(options);
      for (let minute = 1; minute <= 3; minute++) {
        await traffic(app.r);
        await app.pollUntilMinute(minute);
      }
      app.r.dispose();
      return app.sent.map((q) => `${q.url} ${q.method === 'POST' ? 'POST (report)' : q.method}`);
    };
    const on = await run({});
    const off = await run({ telemetry: false });
    expect(on).toHaveLength(off.length);
    expect(on.map((line) => line.replace(' POST (report)', ' GET'))).toEqual(off);
    expect(on.filter((line) => line.endsWith('POST (report)'))).toEqual(
      Array.from({ length: 3 }, () => `${endpoint.url} POST (report)`),
    );
    expect(endpoint.requests.filter((q) => q.method === 'POST')).toHaveLength(3);
    expect(s.git.requests.every((q) => q.method === 'GET')).toBe(true);
  });

  it('at most one a minute, each closed minute once, as text/plain with If-None-Match, nothing for idle minutes', async () => {
    const app = await startApp();
    for (let minute = 1; minute <= 4; minute++) {
      await traffic(app.r);
      await app.pollUntilMinute(minute);
    }
    await app.pollUntilMinute(7); // idle minutes: nothing to report
    const reports = app.reportsSent();
    const first = app.start - 1_000;
    expect(reports.map((r) => r.report.minute)).toEqual([first, first + M, first + 2 * M, first + 3 * M]);
    // Each sent in the first poll after its minute closed, one per wall-clock minute.
    expect(reports.map((r) => Math.floor(r.at / M))).toEqual(reports.map((r) => r.report.minute / M + 1));
    const posts = endpoint.requests.filter((q) => q.method === 'POST');
    expect(posts.map((q) => q.headers['content-type'])).toEqual(Array(4).fill('text/plain;charset=UTF-8'));
    expect(posts.every((q) => /^"v1-\d+"$/.test(String(q.headers['if-none-match'])))).toBe(true);
    expect(reports.every((r) => r.report.sources.git?.requests === 3)).toBe(true);
  });

  it('never carry the install id: only its day hash, in the body of the config poll', async () => {
    const app = await startApp();
    await traffic(app.r);
    await app.pollUntilMinute(2);
    const everything = [
      ...app.sent.map((q) => JSON.stringify(q)),
      ...endpoint.requests.map((q) => JSON.stringify(q)),
      ...s.git.requests.map((q) => JSON.stringify(q)),
      ...s.cdn.requests.map((q) => JSON.stringify(q)),
    ];
    expect(everything.filter((text) => text.includes(INSTALL_ID))).toEqual([]);
    const [sent] = app.reportsSent();
    const day = new Date(sent?.report.minute ?? 0).toISOString().slice(0, 10);
    const hash = createHash('sha256').update(`${INSTALL_ID}:${day}`).digest('hex').slice(0, 16);
    expect(sent?.report.installDay).toBe(hash);
    expect(Object.keys(JSON.parse(endpoint.reports()[0] ?? '{}')).sort()).toEqual(
      [
        'configVersion',
        'installDay',
        'minute',
        'schemaVersion',
        'sdkVersion',
        'sources',
        'staleServes',
      ].sort(),
    );
  });

  it('opt-out (telemetry: false) sends nothing: GET polls only, no body', async () => {
    const app = await startApp({ telemetry: false });
    await traffic(app.r);
    await app.pollUntilMinute(3);
    expect(app.sent.every((q) => q.method === 'GET' && q.body === undefined)).toBe(true);
    expect(endpoint.requests.every((q) => q.method === 'GET' && q.body === '')).toBe(true);
  });

  it('a poll a caller waits on (reloadConfig) never carries a report', async () => {
    const app = await startApp({ autoRefresh: false });
    await traffic(app.r);
    app.clock.advance(M);
    await app.r.reloadConfig();
    await app.r.reloadConfig();
    expect(endpoint.methods()).toEqual(['GET', 'GET', 'GET']);
  });

  it('an older Worker answering POST with 405: the poll is asked again as a GET, and polling goes on as before', async () => {
    endpoint.refusePosts = true;
    const app = await startApp();
    const events: ResolverEvent[] = [];
    app.r.subscribe((e) => events.push(e));
    await traffic(app.r);
    await app.pollUntilMinute(1);
    await traffic(app.r);
    endpoint.setConfig(loopbackConfig(s, { type: 'cloudflare', cacheTtlSeconds: 300 }), 2);
    await app.pollUntilMinute(3);
    expect((await app.r.getConfig()).version).toBe(2);
    expect(await app.r.resolveUrl('api/plugins')).toBe(`${s.cdnUrl}/api/plugins`);
    const methods = endpoint.methods();
    expect(methods.filter((m) => m === 'POST')).toHaveLength(1);
    // The POST refused, then its GET at once; GETs only from then on.
    expect(methods.slice(methods.indexOf('POST'))).toEqual([
      'POST',
      ...Array(methods.length - methods.indexOf('POST') - 1).fill('GET'),
    ]);
    expect(methods.slice(0, methods.indexOf('POST')).every((m) => m === 'GET')).toBe(true);
    // One poll per 15 s, plus one request once in the session: the GET after the 405.
    expect(methods).toHaveLength(1 + 12 + 1);
    expect(events.filter((e) => e.type === 'config-refresh-failed')).toEqual([]);
  });

  it('telemetry: true without configUrl is a construction error that says how to fix it', () => {
    expect(() => s.resolver({ telemetry: true })).toThrow(/telemetry rides on the polls of configUrl/);
  });
});
