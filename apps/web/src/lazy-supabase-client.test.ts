import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLazySupabaseClient } from './lazy-supabase-client.ts';

// A real loopback endpoint answering PostgREST's RPC route, so supabase-js runs unmodified.
let server: Server;
let url: string;
const seen: { method: string | undefined; path: string | undefined; apikey: string | undefined }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method, path: req.url, apikey: req.headers.apikey as string | undefined });
    if (req.url?.includes('slow')) return; // never answers
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ config_value: { type: 'git' }, version: 3 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('createLazySupabaseClient', () => {
  it('calls the RPC through supabase-js, created on first use', async () => {
    const client = createLazySupabaseClient(url, 'anon-key');
    const answer = await client.rpc('get_marketplace_config', {}, { get: true });
    expect(answer).toMatchObject({ data: { config_value: { type: 'git' }, version: 3 }, error: null });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', apikey: 'anon-key' });
    expect(seen.at(-1)?.path).toMatch(/^\/rest\/v1\/rpc\/get_marketplace_config/);
  });

  it('keeps supabase-js abortSignal(): a timeout cancels the request', async () => {
    const client = createLazySupabaseClient(url, 'anon-key');
    const call = client.rpc('slow', {}, { get: true }) as unknown as {
      abortSignal(signal: AbortSignal): PromiseLike<{ data: unknown; error: { message: string } | null }>;
    };
    const answer = await call.abortSignal(AbortSignal.timeout(50));
    expect(answer.error?.message).toMatch(/abort/i);
  });
});
