import { type Behaviour, startGitHost } from '@cartae/local-git-host';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResolverEvent } from '../src/events.ts';
import { type LoopbackSources, loopbackConfig, startLoopbackSources } from './support/loopback-sources.ts';

let s: LoopbackSources;
beforeEach(async () => {
  s = await startLoopbackSources();
  s.setRegistry({ version: 5 }, 'git');
  s.setRegistry({ version: 5 }, 'cdn');
});
afterEach(async () => {
  await s.close();
});

const REG = '/registry/registry.json';

describe('getRegistry falls back from Git to the CDN', () => {
  const failures: [string, Behaviour, string][] = [
    ['429 with retry-after', { kind: 'rate-limited', retryAfterSeconds: 60 }, 'source_rate_limited'],
    ['403 with x-ratelimit-remaining: 0', { kind: 'rate-limited', as403: true }, 'source_rate_limited'],
    ['500', { kind: 'status', status: 500 }, 'source_http_error'],
    ['503 HTML page', { kind: 'status', status: 503, body: '<html>down</html>' }, 'source_http_error'],
    ['a hung connection', { kind: 'hang' }, 'source_timeout'],
    ['truncated JSON', { kind: 'truncate', bytes: 60 }, 'source_network_error'],
    ['a body that stalls after the headers', { kind: 'stall', bytes: 60 }, 'source_timeout'],
    [
      'an HTML page with status 200',
      { kind: 'body', body: '<!doctype html><title>Login</title>' },
      'registry_invalid_json',
    ],
    [
      'a schema-invalid registry',
      { kind: 'body', body: '{"version":"x","plugins":[{"id":"A B"}]}', contentType: 'application/json' },
      'registry_invalid',
    ],
    [
      'an expired registry',
      {
        kind: 'body',
        body: JSON.stringify({
          version: 9,
          generatedAt: '2020-01-01T00:00:00Z',
          expires: '2020-02-01T00:00:00Z',
          plugins: [],
        }),
      },
      'registry_expired',
    ],
  ];

  it.each(failures)('when Git answers %s', async (_name, behaviour, code) => {
    s.git.setBehaviour(REG, behaviour);
    const r = s.resolver({ requestTimeoutMs: 300 });
    const events: ResolverEvent[] = [];
    r.subscribe((e) => events.push(e));
    const result = await r.getRegistry();
    expect(result).toMatchObject({
      ok: true,
      source: 'cloudflare',
      stale: false,
      fallback: true,
      registry: { version: 5 },
    });
    const fallback = events.find((e) => e.type === 'fallback');
    expect(fallback).toMatchObject({ type: 'fallback', from: 'git', to: 'cloudflare', error: { code } });
    expect(r.getStats()).toMatchObject({
      totalRequests: 1,
      fallbacks: 1,
      errors: 0,
      gitRequests: 1,
      cloudflareRequests: 1,
    });
  });

  it('a rate limit ejects Git until retry-after: later calls do not touch it', async () => {
    s.git.setBehaviour(REG, { kind: 'rate-limited', retryAfterSeconds: 60 });
    const r = s.resolver();
    for (let i = 0; i < 20; i++) expect((await r.getRegistry()).ok).toBe(true);
    expect(s.gitRequests(REG)).toBe(1);
    expect(s.cdnRequests('/api/plugins')).toBe(20);
    const git = r.getHealth().sources.find((x) => x.source === 'git');
    expect(git?.state).toMatchObject({ status: 'ejected', reason: 'source_rate_limited' });
    expect(r.getStats().perSource.git).toMatchObject({ requests: 1, rateLimited: 1 });
  });

  it('an ejected source is the last resort when every admitted source fails (panic)', async () => {
    s.git.setBehaviour(REG, { kind: 'rate-limited', retryAfterSeconds: 60 });
    const r = s.resolver();
    await r.getRegistry();
    s.git.reset();
    s.cdn.setBehaviour('/api/plugins', { kind: 'status', status: 500 });
    const result = await r.getRegistry();
    expect(result).toMatchObject({ ok: true, stale: false, source: 'git' });
  });

  it('a registry missing (404) on the CDN still reaches an ejected Git as last resort', async () => {
    s.git.setBehaviour(REG, { kind: 'rate-limited', retryAfterSeconds: 60 });
    const r = s.resolver();
    await r.getRegistry();
    s.git.reset();
    s.cdn.setBehaviour('/api/plugins', { kind: 'status', status: 404 });
    expect(await r.getRegistry()).toMatchObject({ ok: true, stale: false, source: 'git' });
  });

  it('a plugin 404 on the CDN does not disturb an ejected Git', async () => {
    s.git.setBehaviour(REG, { kind: 'rate-limited', retryAfterSeconds: 60 });
    const r = s.resolver();
    await r.getRegistry();
    const before = s.gitRequests();
    expect((await r.fetch('api/plugins/does-not-exist')).status).toBe(404);
    expect(s.gitRequests()).toBe(before);
  });

  it('three ordinary failures in a row eject a source', async () => {
    s.git.setBehaviour(REG, { kind: 'status', status: 502 });
    const r = s.resolver();
    for (let i = 0; i < 10; i++) await r.getRegistry();
    expect(s.gitRequests(REG)).toBe(3);
  });

  it('a 404 on one source does not hide the other source’s answer', async () => {
    s.setConfig(loopbackConfig(s, { type: 'cloudflare' }), 1);
    s.cdn.setFile('/api/plugins/plugin-00001', JSON.stringify({ id: 'plugin-00001' }));
    s.git.setFile('/registry/plugins/only-on-git.json', JSON.stringify({ id: 'only-on-git' }));
    const r = s.resolver({ configUrl: s.configUrl });
    const onGit = await r.fetch('api/plugins/only-on-git');
    expect(onGit.status).toBe(200);
    expect(await onGit.json()).toEqual({ id: 'only-on-git' });
    const nowhere = await r.fetch('api/plugins/nowhere');
    expect(nowhere.status).toBe(404);
  });

  it('fetch() falls back when the body it keeps for conditional requests stalls', async () => {
    s.git.setBehaviour(REG, { kind: 'stall', bytes: 60 });
    const r = s.resolver({ requestTimeoutMs: 300 });
    const response = await r.fetch('api/plugins');
    expect(JSON.parse(await response.text())).toMatchObject({ version: 5 });
    expect(r.getStats()).toMatchObject({ fallbacks: 1, perSource: { git: { timeouts: 1 } } });
  });

  it('a body fetch() has handed over is bounded by the caller’s signal, not the attempt timeout', async () => {
    s.git.setBehaviour(REG, { kind: 'stall', bytes: 60 });
    const r = s.resolver({ requestTimeoutMs: 100 });
    const started = Date.now();
    // The caller's own If-None-Match: the response is passed through untouched, body unread.
    const response = await r.fetch('api/plugins', {
      headers: { 'if-none-match': '"not-this-one"' },
      signal: AbortSignal.timeout(600),
    });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(r.getStats()).toMatchObject({ fallbacks: 0, errors: 0 });
  });

  it('uses conditional requests: an unchanged registry costs a 304 and is served from memory', async () => {
    const r = s.resolver();
    const first = await r.getRegistry();
    const second = await r.getRegistry();
    expect(second).toMatchObject({ ok: true, source: 'git', registry: { version: 5 } });
    expect(first.ok && second.ok && second.registry).toBe(first.ok ? first.registry : undefined);
    expect(s.git.requests.map((q) => q.ifNoneMatch === undefined)).toEqual([true, false]);
    expect(r.getStats().perSource.git.notModified).toBe(1);
  });

  it('fetch() answers a 304 from its cache with the full body', async () => {
    const r = s.resolver();
    const a = await (await r.fetch('api/plugins')).text();
    const b = await r.fetch('api/plugins');
    expect(b.status).toBe(200);
    expect(await b.text()).toBe(a);
    expect(s.git.requests[1]?.ifNoneMatch).toMatch(/^W\//);
  });

  it('serves the last good registry, marked stale, when every source fails', async () => {
    const r = s.resolver();
    expect((await r.getRegistry()).ok).toBe(true);
    s.git.setBehaviour('*', { kind: 'status', status: 500 });
    s.cdn.setBehaviour('*', { kind: 'status', status: 500 });
    const result = await r.getRegistry();
    expect(result).toMatchObject({
      ok: true,
      stale: true,
      registry: { version: 5 },
      error: { code: 'no_source_available' },
    });
    expect(r.getStats().staleServed).toBe(1);
  });

  it('returns an error value, never throws, when nothing was ever obtained', async () => {
    s.git.setBehaviour('*', { kind: 'status', status: 500 });
    s.cdn.setBehaviour('*', { kind: 'hang' });
    const r = s.resolver({ requestTimeoutMs: 200 });
    const result = await r.getRegistry();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('no_source_available');
    expect(!result.ok && result.error.message).toContain('did not answer');
    expect(r.getStats().errors).toBe(1);
    await expect(r.fetch('api/plugins')).rejects.toMatchObject({ code: 'no_source_available' });
  });

  it('without fallbackOnError a failure is not retried elsewhere', async () => {
    s.setConfig(loopbackConfig(s, { type: 'git', fallbackOnError: false }), 1);
    s.git.setBehaviour(REG, { kind: 'status', status: 500 });
    const r = s.resolver({ configUrl: s.configUrl });
    const result = await r.getRegistry();
    expect(result.ok).toBe(false);
    expect(s.cdnRequests('/api/plugins')).toBe(0);
  });

  it('prefers the CDN pre-emptively when Git’s quota is nearly spent', async () => {
    s.git.setBehaviour(REG, {
      kind: 'status',
      status: 200,
      headers: {
        'x-ratelimit-remaining': '2',
        'x-ratelimit-limit': '60',
        'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 600),
        'content-type': 'application/json',
      },
      body: '{"version":5,"generatedAt":"2026-01-01T00:00:00Z","expires":"2099-01-01T00:00:00Z","plugins":[]}',
    });
    const r = s.resolver();
    expect((await r.getRegistry()).ok && (await r.resolveUrl('api/plugins'))).toBe(
      `${s.cdn.url}/api/plugins`,
    );
    expect(s.gitRequests(REG)).toBe(1);
  });

  it('a source ejected for errors is probed when its ejection ends, and re-admitted', async () => {
    s.git.setBehaviour(REG, { kind: 'status', status: 500 });
    const r = s.resolver({ ejection: { consecutiveFailures: 1, baseEjectionMs: 1000 } });
    const events: string[] = [];
    r.subscribe((e) => events.push(e.type));
    await r.getRegistry();
    expect(events).toContain('source-ejected');
    s.git.reset();
    await expect
      .poll(() => events.includes('source-readmitted'), { timeout: 3000, interval: 100 })
      .toBe(true);
    expect(await r.resolveUrl('api/plugins')).toBe(s.gitUrl);
    expect(s.gitRequests(REG)).toBe(1); // since the reset: the probe
  });

  it('a rate-limited source is never probed: the next real request after its retry time re-admits it', async () => {
    s.git.setBehaviour(REG, { kind: 'rate-limited', retryAfterSeconds: 1 });
    const r = s.resolver();
    const events: string[] = [];
    r.subscribe((e) => events.push(e.type));
    await r.getRegistry();
    expect(events).toContain('source-ejected');
    s.git.reset();
    // Git becomes first choice again once its retry time has passed (the Date header rounds it)...
    await expect.poll(() => r.resolveUrl('api/plugins'), { timeout: 5000, interval: 100 }).toBe(s.gitUrl);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // ...without any background probe of the source that rate-limited us.
    expect(s.gitRequests(REG)).toBe(0);
    expect(events).not.toContain('source-readmitted');
    expect((await r.fetch('api/plugins')).ok).toBe(true);
    expect(s.gitRequests(REG)).toBe(1);
  });

  it('rate limits in a row back off beyond retry-after', async () => {
    s.git.setBehaviour(REG, { kind: 'rate-limited', retryAfterSeconds: 1 });
    const r = s.resolver({ ejection: { baseEjectionMs: 10_000 } });
    const untils: number[] = [];
    r.subscribe((e) => {
      if (e.type === 'source-ejected' && e.source === 'git') untils.push(e.until - Date.now());
    });
    await r.getRegistry();
    await expect.poll(() => r.resolveUrl('api/plugins'), { timeout: 5000, interval: 100 }).toBe(s.gitUrl);
    await r.fetch('api/plugins');
    expect(untils).toHaveLength(2);
    expect(untils[0]).toBeLessThanOrEqual(2000);
    expect(untils[1]).toBeGreaterThan(15_000); // 2nd ejection in a row: 2 × base, not retry-after
    expect(s.gitRequests(REG)).toBe(2);
  });

  it('checkHealth reports each source and does not call a rate-limited one early', async () => {
    s.git.setBehaviour(REG, { kind: 'rate-limited', retryAfterSeconds: 120 });
    const r = s.resolver();
    await r.getRegistry();
    const checks = await r.checkHealth();
    const git = checks.find((c) => c.source === 'git');
    const cdn = checks.find((c) => c.source === 'cloudflare');
    expect(git).toMatchObject({
      ok: false,
      skipped: true,
      rateLimited: true,
      code: 'source_rate_limited',
      rateLimitRemaining: 0,
      rateLimitLimit: 60,
    });
    expect(git?.error).toContain('rate-limiting');
    expect(git?.retryAt).toBeGreaterThan(Date.now() + 60_000);
    // The check is conditional: the CDN copy is already held, so it costs a 304.
    expect(cdn).toMatchObject({ ok: true, status: 304, skipped: false });
    expect(typeof cdn?.responseTimeMs).toBe('number');
    expect(s.gitRequests(REG)).toBe(1);
  });
});

describe('a config that moves a source to another URL', () => {
  it('forgets the old URL’s ejection: the new server is tried at once', async () => {
    // The CDN first, at a URL that fails; Git as the fallback.
    const failing = await startGitHost();
    failing.setBehaviour('*', { kind: 'status', status: 500 });
    try {
      s.setConfig(
        loopbackConfig(s, { type: 'hybrid', priority: ['cloudflare', 'git'], cloudflareUrl: failing.url }),
        1,
      );
      const r = s.resolver({ configUrl: s.configUrl, telemetry: false });
      for (let i = 0; i < 5; i++) expect(await r.getRegistry()).toMatchObject({ ok: true, source: 'git' });
      expect(r.getHealth().sources.find((h) => h.source === 'cloudflare')?.state).toMatchObject({
        status: 'ejected',
      });
      const events: ResolverEvent[] = [];
      r.subscribe((e) => events.push(e));

      // The admin (or the rollout guard) moves the CDN back to a working server.
      s.setConfig(loopbackConfig(s, { type: 'hybrid', priority: ['cloudflare', 'git'] }), 2);
      await r.reloadConfig();
      const cdnBefore = s.cdnRequests('/api/plugins');
      expect(await r.getRegistry()).toMatchObject({ ok: true, source: 'cloudflare', fallback: false });
      expect(s.cdnRequests('/api/plugins')).toBe(cdnBefore + 1);
      expect(events).toContainEqual({ type: 'source-readmitted', source: 'cloudflare' });
    } finally {
      await failing.close();
    }
  });
});
