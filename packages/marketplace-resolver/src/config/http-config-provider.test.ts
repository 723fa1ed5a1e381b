import { describe, expect, it } from 'vitest';
import { createHttpConfigProvider } from './http-config-provider.ts';

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
