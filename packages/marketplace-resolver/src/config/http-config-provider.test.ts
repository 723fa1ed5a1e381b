import { describe, expect, it } from 'vitest';
import { createHttpConfigProvider, httpConfigProvider } from './http-config-provider.ts';

const URL_ = 'https://marketplace.example/api/config';
const body = JSON.stringify({ config: { type: 'git' }, version: 6, updatedAt: '2026-11-30T10:00:00Z' });

/** Loads once through an injected fetch that answers `response`. */
function loadWith(response: Response) {
  return createHttpConfigProvider(URL_).load({
    signal: AbortSignal.timeout(1000),
    etag: '"c6"',
    fetch: async () => response,
  });
}

describe('HTTP config provider', () => {
  it("carries the Worker's x-config-stale as stale: true, on a 200 and on a 304", async () => {
    const headers = { etag: '"c6"', 'x-config-stale': '1', age: '600' };
    expect(await loadWith(new Response(body, { headers }))).toEqual({
      kind: 'loaded',
      snapshot: { document: { type: 'git' }, version: 6, updatedAt: '2026-11-30T10:00:00Z' },
      etag: '"c6"',
      stale: true,
    });
    expect(await loadWith(new Response(null, { status: 304, headers }))).toEqual({
      kind: 'not-modified',
      stale: true,
    });
  });

  it('an answer without the header (or with 0) is fresh', async () => {
    expect(await loadWith(new Response(body))).not.toHaveProperty('stale');
    expect(await loadWith(new Response(null, { status: 304 }))).toEqual({ kind: 'not-modified' });
    const zero = await loadWith(new Response(body, { headers: { 'x-config-stale': '0' } }));
    expect(zero).toMatchObject({ kind: 'loaded' });
    expect(zero).not.toHaveProperty('stale');
  });
});

interface Sent {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/**
 * A provider carrying reports from a stub outbox, over a fetch that records what it is asked and
 * answers with `answer(method)`: a Response, or an Error to throw (a network or CORS failure).
 */
function carrying(answer: (method: string) => Response | Error) {
  const sent: Sent[] = [];
  const log = { handed: 0, delivered: 0, refused: 0 };
  const provider = httpConfigProvider(URL_, {
    reports: {
      async next() {
        log.handed++;
        return { body: '{"report":1}', delivered: () => log.delivered++ };
      },
      refused: () => log.refused++,
    },
  });
  const fetch = (async (_url: string, init: RequestInit) => {
    const method = init.method ?? 'GET';
    sent.push({
      method,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: typeof init.body === 'string' ? init.body : undefined,
    });
    const a = answer(method);
    if (a instanceof Error) throw a;
    return a;
  }) as typeof globalThis.fetch;
  const poll = (background = true, signal = AbortSignal.timeout(1000)) =>
    provider.load({ signal, etag: '"c6"', fetch, background });
  return { poll, sent, log, methods: () => sent.map((s) => s.method) };
}

const fresh = () => new Response(body, { headers: { etag: '"c6"' } });
const LOADED = { kind: 'loaded', snapshot: { version: 6 } };

describe('HTTP config provider carrying usage reports', () => {
  it('a background poll after an answered one is a conditional POST of the report, text/plain', async () => {
    const c = carrying(() => new Response(null, { status: 304 }));
    expect(await c.poll()).toEqual({ kind: 'not-modified' }); // the first poll: nothing answered yet
    expect(await c.poll()).toEqual({ kind: 'not-modified' });
    expect(c.methods()).toEqual(['GET', 'POST']);
    expect(c.sent[1]).toEqual({
      method: 'POST',
      headers: {
        accept: 'application/json',
        'if-none-match': '"c6"',
        'content-type': 'text/plain;charset=UTF-8',
      },
      body: '{"report":1}',
    });
    expect(c.sent[0]?.body).toBeUndefined();
    expect(c.log).toEqual({ handed: 1, delivered: 1, refused: 0 });
  });

  it('a poll a caller waits on (first load, reloadConfig) never carries a report', async () => {
    const c = carrying(() => fresh());
    await c.poll(false);
    await c.poll(false);
    expect(c.methods()).toEqual(['GET', 'GET']);
    expect(c.log.handed).toBe(0);
  });

  it('an older Worker answering 405: the same poll asks again as a GET, judged alone; no reports for the session', async () => {
    const c = carrying((method) =>
      method === 'POST' ? new Response('{"error":"method_not_allowed"}', { status: 405 }) : fresh(),
    );
    await c.poll();
    expect(await c.poll()).toMatchObject(LOADED);
    await c.poll();
    await c.poll();
    expect(c.methods()).toEqual(['GET', 'POST', 'GET', 'GET', 'GET']);
    expect(c.log).toEqual({ handed: 1, delivered: 0, refused: 1 });
  });

  it('a POST that cannot be sent where a GET can (a network error on it alone) is asked again as a GET', async () => {
    const c = carrying((method) => (method === 'POST' ? new TypeError('Failed to fetch') : fresh()));
    await c.poll();
    expect(await c.poll()).toMatchObject(LOADED);
    expect(c.methods()).toEqual(['GET', 'POST', 'GET']);
    expect(c.log.refused).toBe(1);
  });

  it('an endpoint failing GETs too: the report stays for later, and polls are GETs until one is answered', async () => {
    let down = false;
    const c = carrying(() => (down ? new Response('down', { status: 503 }) : fresh()));
    await c.poll();
    down = true;
    expect(await c.poll()).toMatchObject({ kind: 'failed', error: { code: 'source_http_error' } });
    expect(await c.poll()).toMatchObject({ kind: 'failed' });
    down = false;
    expect(await c.poll()).toMatchObject(LOADED);
    expect(await c.poll()).toMatchObject(LOADED);
    expect(c.methods()).toEqual(['GET', 'POST', 'GET', 'GET', 'GET', 'POST']);
    expect(c.log).toEqual({ handed: 2, delivered: 1, refused: 0 });
  });

  it('POSTs that time out while the GETs after them are answered: reports stop after the second', async () => {
    const timedOut = () => {
      const controller = new AbortController();
      controller.abort(new DOMException('late', 'TimeoutError'));
      return controller.signal;
    };
    const hanging = carrying((method) =>
      method === 'POST' ? new DOMException('late', 'TimeoutError') : fresh(),
    );
    await hanging.poll();
    expect(await hanging.poll(true, timedOut())).toMatchObject({ kind: 'failed' });
    await hanging.poll(); // a GET, answered: one strike
    expect(hanging.log.refused).toBe(0);
    await hanging.poll(true, timedOut());
    await hanging.poll();
    expect(hanging.log.refused).toBe(1);
    await hanging.poll();
    expect(hanging.methods()).toEqual(['GET', 'POST', 'GET', 'POST', 'GET', 'GET']);
  });

  it('createHttpConfigProvider (the public one) only ever GETs', async () => {
    const methods: string[] = [];
    const provider = createHttpConfigProvider(URL_);
    const fetch = (async (_url: string, init: RequestInit) => {
      methods.push(init.method ?? 'GET');
      return fresh();
    }) as typeof globalThis.fetch;
    for (let i = 0; i < 3; i++)
      await provider.load({ signal: AbortSignal.timeout(1000), fetch, background: true });
    expect(methods).toEqual(['GET', 'GET', 'GET']);
  });
});
