import { afterEach, describe, expect, it } from 'vitest';
import { type GitHost, startGitHost } from './git-host.ts';
import { parseRateLimitSpec, RateLimitWindow } from './rate-limit-window.ts';

let host: GitHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

describe('local Git host', () => {
  it('keeps only the newest requests, so a long session does not grow without end', async () => {
    host = await startGitHost({ files: { '/r.json': '{}' }, maxRecordedRequests: 3 });
    for (let i = 0; i < 5; i++) await (await fetch(`${host.url}/r.json?n=${i}`)).text();
    expect(host.requests).toHaveLength(3);
  });

  it('serves files with an ETag and answers 304 to a matching If-None-Match', async () => {
    host = await startGitHost({ files: { '/registry.json': '{"a":1}' } });
    const first = await fetch(`${host.url}/registry.json`);
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('{"a":1}');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    const second = await fetch(`${host.url}/registry.json`, { headers: { 'if-none-match': etag ?? '' } });
    expect(second.status).toBe(304);
    expect(host.requests.map((r) => r.ifNoneMatch)).toEqual([undefined, etag]);
  });

  it('answers 404 for unknown files and never escapes its root', async () => {
    host = await startGitHost({ root: new URL('.', import.meta.url).pathname });
    expect((await fetch(`${host.url}/nope.json`)).status).toBe(404);
    expect((await fetch(`${host.url}/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${host.url}/index.ts`)).status).toBe(200);
  });

  it('plays GitHub-style rate limits, as 429 or 403', async () => {
    host = await startGitHost({ files: { '/r.json': '{}' } });
    host.setBehaviour('/r.json', { kind: 'rate-limited', retryAfterSeconds: 30 });
    const limited = await fetch(`${host.url}/r.json`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    host.setBehaviour('/r.json', { kind: 'rate-limited', as403: true });
    const forbidden = await fetch(`${host.url}/r.json`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('x-ratelimit-remaining')).toBe('0');
  });

  it('enforces a simulated quota window', async () => {
    let now = 1_000_000;
    host = await startGitHost({
      files: { '/r.json': '{}' },
      rateLimit: new RateLimitWindow(2, 60_000),
      now: () => now,
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${host.url}/r.json`)).status);
    expect(statuses).toEqual([200, 200, 429]);
    now += 60_000;
    const after = await fetch(`${host.url}/r.json`);
    expect(after.status).toBe(200);
    expect(after.headers.get('x-ratelimit-remaining')).toBe('1');
  });

  it('can truncate a body mid-way', async () => {
    host = await startGitHost({ files: { '/r.json': JSON.stringify({ long: 'x'.repeat(5000) }) } });
    host.setBehaviour('/r.json', { kind: 'truncate', bytes: 100 });
    await expect(fetch(`${host.url}/r.json`).then((r) => r.text())).rejects.toThrow();
  });

  it('can stall a body mid-way, leaving the connection open', async () => {
    host = await startGitHost({ files: { '/r.json': JSON.stringify({ long: 'x'.repeat(5000) }) } });
    host.setBehaviour('/r.json', { kind: 'stall', bytes: 100 });
    const response = await fetch(`${host.url}/r.json`, { signal: AbortSignal.timeout(300) });
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('parses quota specs and refuses nonsense', () => {
    expect(parseRateLimitSpec('60/min')).toMatchObject({ limit: 60, windowMs: 60_000 });
    expect(parseRateLimitSpec('5000/hour')).toMatchObject({ limit: 5000, windowMs: 3_600_000 });
    expect(() => parseRateLimitSpec('lots')).toThrow('use N/s, N/min or N/hour');
  });
});
