import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
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
    // Node's fetch accepts gzip, so the body came gzipped and the ETag is the weak one.
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

/** A GET as sent, the body as received: fetch() would decode gzip and hide the encoding. */
function rawGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('local Git host compresses like raw.githubusercontent.com', () => {
  const text = JSON.stringify({ plugins: Array.from({ length: 200 }, (_, i) => ({ id: `plugin-${i}` })) });

  it('gzips for a client that accepts it: weak ETag, Vary, the gzip length', async () => {
    host = await startGitHost({ files: { '/registry.json': text } });
    const gz = await rawGet(`${host.url}/registry.json`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toBe('Accept-Encoding');
    expect(gz.headers.etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
    expect(gz.body.length).toBeLessThan(Buffer.byteLength(text) / 4);
    expect(gunzipSync(gz.body).toString()).toBe(text);
  });

  it('sends identity bytes, same ETag and Vary, to a client that does not accept gzip', async () => {
    host = await startGitHost({ files: { '/registry.json': text } });
    for (const accept of [undefined, 'identity', 'gzip;q=0, br']) {
      const plain = await rawGet(`${host.url}/registry.json`, accept ? { 'accept-encoding': accept } : {});
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toBe('Accept-Encoding');
      expect(plain.headers.etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
      expect(Number(plain.headers['content-length'])).toBe(Buffer.byteLength(text));
      expect(plain.body.toString()).toBe(text);
    }
  });

  it('revalidates either representation with either ETag (weak comparison), lists and *', async () => {
    host = await startGitHost({ files: { '/registry.json': text } });
    const gz = await rawGet(`${host.url}/registry.json`, { 'accept-encoding': 'gzip' });
    const weak = String(gz.headers.etag);
    const strong = weak.replace(/^W\//, '');
    for (const [accept, ifNoneMatch] of [
      ['gzip', weak],
      ['gzip', strong],
      ['identity', weak],
      ['identity', `"other", ${strong}`],
      ['gzip', '*'],
    ] as const) {
      const answer = await rawGet(`${host.url}/registry.json`, {
        'accept-encoding': accept,
        'if-none-match': ifNoneMatch,
      });
      expect(answer.status).toBe(304);
      expect(answer.headers.vary).toBe('Accept-Encoding');
    }
    expect((await rawGet(`${host.url}/registry.json`, { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('throttles a body to a steady rate: slow, but every chunk arrives', async () => {
    const big = 'x'.repeat(30_000);
    host = await startGitHost({ files: { '/big.txt': big } });
    host.setBehaviour('/big.txt', { kind: 'throttle', bytesPerSecond: 50_000 });
    const started = Date.now();
    const answer = await rawGet(`${host.url}/big.txt`);
    const took = Date.now() - started;
    expect(answer.body.toString()).toBe(big);
    expect(took).toBeGreaterThanOrEqual(500);
    expect(took).toBeLessThan(2000);
  });
});
