import { SELF } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { ORIGIN, request, resetWorkerState } from './support/worker-harness.ts';

beforeEach(resetWorkerState);

async function errorCode(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe('CORS', () => {
  it('lets any browser origin read the registry and its ETag', async () => {
    const response = await request('/api/plugins', { headers: { origin: 'https://app.cartae.com' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')).toContain('ETag');
  });

  it('answers a preflight for a conditional request', async () => {
    const response = await request('/api/plugins', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.cartae.com',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'if-none-match',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,HEAD,OPTIONS');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('if-none-match');
    expect(response.headers.get('access-control-max-age')).toBe('86400');
  });

  it('restricts origins when CORS_ALLOWED_ORIGINS lists them', async () => {
    const overrides = { CORS_ALLOWED_ORIGINS: 'https://app.cartae.com, https://admin.cartae.com' };
    const allowed = await request(
      '/api/config',
      { headers: { origin: 'https://admin.cartae.com' } },
      overrides,
    );
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://admin.cartae.com');
    expect(allowed.headers.get('vary')).toContain('Origin');
    const refused = await request('/api/config', { headers: { origin: 'https://evil.example' } }, overrides);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('adds CORS headers to errors too, so browsers can read them', async () => {
    const response = await request('/nope', { headers: { origin: 'https://app.cartae.com' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  /** Every kind of error answer the Worker gives, and how to provoke it. */
  const ERRORS: [number, string, string, RequestInit, Record<string, string>][] = [
    [400, 'invalid_content_length', '/api/plugins', { headers: { 'content-length': 'lots' } }, {}],
    [400, 'invalid_plugin_id', '/api/plugins/Not_Valid!', {}, {}],
    [401, 'unauthorized', '/admin/sync', { method: 'POST' }, {}],
    [404, 'not_found', '/nope', {}, {}],
    [404, 'plugin_not_found', '/api/plugins/no-such-plugin', {}, {}],
    [405, 'method_not_allowed', '/api/config', { method: 'PUT' }, {}],
    [413, 'payload_too_large', '/api/plugins', { method: 'POST', body: 'x'.repeat(2048) }, {}],
    [414, 'uri_too_long', `/api/plugins?${'q'.repeat(5000)}`, {}, {}],
    [503, 'config_unavailable', '/api/config', {}, { SUPABASE_ANON_KEY: '' }],
  ];
  const CORS_HEADERS = ['access-control-allow-origin', 'access-control-expose-headers', 'vary'];
  const corsOf = (response: Response) => CORS_HEADERS.map((name) => response.headers.get(name));

  it.each([
    ['any origin allowed', {}, 'https://app.cartae.com', '*'],
    [
      'a listed origin',
      { CORS_ALLOWED_ORIGINS: 'https://app.cartae.com' },
      'https://app.cartae.com',
      'https://app.cartae.com',
    ],
    [
      'an origin not listed',
      { CORS_ALLOWED_ORIGINS: 'https://app.cartae.com' },
      'https://evil.example',
      null,
    ],
  ])(
    'gives every error answer the CORS headers of a successful one (%s)',
    async (_, cors, origin, allowed) => {
      const success = await request('/api/plugins', { headers: { origin } }, cors);
      expect(success.status).toBe(200);
      expect(success.headers.get('access-control-allow-origin')).toBe(allowed);
      for (const [status, code, path, init, overrides] of ERRORS) {
        const headers = new Headers(init.headers);
        headers.set('origin', origin);
        const response = await request(path, { ...init, headers }, { ...cors, ...overrides });
        expect(response.status, code).toBe(status);
        expect(corsOf(response), code).toEqual(corsOf(success));
        expect(await errorCode(response), code).toBe(code);
      }
    },
  );
});

describe('unknown routes, wrong methods and bad requests', () => {
  it('answers 404 JSON for an unknown route', async () => {
    for (const path of ['/', '/api', '/api/plugins/a/b', '/registry.json', '/api/plugins/']) {
      const response = await request(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(await errorCode(response)).toBe('not_found');
    }
  });

  it('answers 405 with Allow for a known route and a wrong method', async () => {
    const cases: [string, string, string][] = [
      ['/api/plugins', 'POST', 'GET, HEAD, OPTIONS'],
      ['/api/plugins/plugin-00001', 'DELETE', 'GET, HEAD, OPTIONS'],
      ['/api/config', 'PUT', 'GET, HEAD, POST, OPTIONS'],
      ['/health', 'PATCH', 'GET, HEAD, OPTIONS'],
      ['/admin/sync', 'GET', 'POST'],
    ];
    for (const [path, method, allow] of cases) {
      const response = await request(path, { method });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(response.headers.get('allow')).toBe(allow);
      expect(await errorCode(response)).toBe('method_not_allowed');
    }
  });

  it('answers 414 to an overlong URL and 413 to an oversize body', async () => {
    expect((await request(`/api/plugins?${'q'.repeat(5000)}`)).status).toBe(414);
    expect((await request(`/api/plugins/${'a'.repeat(3000)}`)).status).toBe(414);
    const big = await request('/api/plugins', { method: 'POST', body: 'x'.repeat(2048) });
    expect(big.status).toBe(413);
  });

  it('answers 400 invalid_content_length to a Content-Length that is not a number of bytes', async () => {
    for (const declared of ['lots', '-1', '1.5', '12, 12', '0x10', '9'.repeat(16)]) {
      const response = await request('/api/plugins', { headers: { 'content-length': declared } });
      expect(response.status, declared).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code, declared).toBe('invalid_content_length');
      expect(body.error.message).toContain('Content-Length');
    }
    const declaredTooLarge = await request('/api/plugins', { headers: { 'content-length': '4096' } });
    expect(declaredTooLarge.status).toBe(413);
    expect(await errorCode(declaredTooLarge)).toBe('payload_too_large');
    expect((await request('/api/plugins', { headers: { 'content-length': '0' } })).status).toBe(200);
  });

  it('ignores query strings and odd headers rather than failing', async () => {
    const odd = await request('/api/plugins?x=%ZZ&y', {
      headers: { 'if-none-match': 'garbage,,,W/', accept: '*/*;q=bogus' },
    });
    expect(odd.status).toBe(200);
  });

  it('serves through the deployed entry point with the wrangler.jsonc bindings', async () => {
    const response = await SELF.fetch(`${ORIGIN}/api/plugins/plugin-00000`);
    expect(response.status).toBe(200);
    const missing = await SELF.fetch(`${ORIGIN}/nope`);
    expect(missing.status).toBe(404);
    const get = await SELF.fetch(`${ORIGIN}/api/plugins`);
    const head = await SELF.fetch(`${ORIGIN}/api/plugins`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String((await get.arrayBuffer()).byteLength));
  });
});
