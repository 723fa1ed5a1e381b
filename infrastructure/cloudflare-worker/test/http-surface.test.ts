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
      ['/api/config', 'PUT', 'GET, HEAD, OPTIONS'],
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
  });
});
