import { runInDurableObject } from 'cloudflare:test';
import { USAGE_REPORT_LIMITS } from '@cartae/marketplace-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { usageShardOf } from '../src/usage/usage-shard.ts';
import { CONFIG_SCENARIOS } from './support/scenarios.ts';
import {
  installDay,
  postReport,
  resetShards,
  SHARDS,
  shardStub,
  usageReport,
} from './support/usage-harness.ts';
import { controlPlaneUrl, request, resetWorkerState } from './support/worker-harness.ts';

beforeEach(async () => {
  await resetWorkerState();
  await resetShards();
});

const ORIGIN_HEADER = { origin: 'https://app.cartae.com' };
/** Everything a client can tell two answers apart by. */
const ANSWER_HEADERS = [
  'content-type',
  'content-length',
  'etag',
  'cache-control',
  'age',
  'x-config-version',
  'x-config-stale',
  'retry-after',
  'access-control-allow-origin',
  'access-control-expose-headers',
  'vary',
];

async function answer(response: Response) {
  return {
    status: response.status,
    headers: Object.fromEntries(ANSWER_HEADERS.map((name) => [name, response.headers.get(name)])),
    body: await response.text(),
  };
}

/** Reports handed to the shards so far, all shards together. */
async function reportsHanded(): Promise<number> {
  let accepted = 0;
  for (const shard of SHARDS) {
    accepted += (await runInDurableObject(shardStub(shard), (instance) => instance.status())).counters
      .accepted;
  }
  return accepted;
}

const oversized = JSON.stringify({ ...usageReport(), sdkVersion: '0.1.0', padding: 'x'.repeat(5000) });

/** The bodies a config poll may carry, and whether each reaches an aggregator. */
const BODIES: [string, () => string, boolean][] = [
  ['a valid report', () => JSON.stringify(usageReport()), true],
  ['an invalid report', () => JSON.stringify({ ...usageReport(), schemaVersion: 2 }), false],
  ['a body that is not JSON', () => '<html>hello</html>', false],
  [`a body over ${USAGE_REPORT_LIMITS.maxBytes} bytes`, () => oversized, false],
  ['an empty body', () => '', false],
];

describe('POST /api/config (a config poll carrying a usage report)', () => {
  it.each(BODIES)('answers exactly as GET does, with %s', async (_, body, handed) => {
    const overrides = { SUPABASE_URL: controlPlaneUrl(CONFIG_SCENARIOS.good), CONFIG_CACHE_SECONDS: '15' };
    const get = await answer(await request('/api/config', { headers: ORIGIN_HEADER }, overrides));
    expect(get.status).toBe(200);
    const post = await postReport(body(), { address: '198.51.100.10', headers: ORIGIN_HEADER, overrides });
    expect(await answer(post)).toEqual(get);
    const etag = get.headers.etag ?? '';
    const conditional = await postReport(body(), {
      address: '198.51.100.11',
      headers: { ...ORIGIN_HEADER, 'if-none-match': etag },
      overrides,
    });
    expect(conditional.status).toBe(304);
    expect(conditional.headers.get('etag')).toBe(etag);
    expect(conditional.headers.get('access-control-allow-origin')).toBe('*');
    expect(await reportsHanded()).toBe(handed ? 2 : 0);
  });

  it('answers a report far over the request limit, declared or not, with the config (never 413)', async () => {
    const huge = 'x'.repeat(256 * 1024);
    const declared = await postReport(huge, { address: '198.51.100.12' });
    expect(declared.status).toBe(200);
    const streamed = await request('/api/config', {
      method: 'POST',
      body: new Blob([huge]).stream(),
      headers: { 'cf-connecting-ip': '198.51.100.13' },
    });
    expect(streamed.status).toBe(200);
    expect(await streamed.json()).toMatchObject({ version: 7 });
    expect(await reportsHanded()).toBe(0);
  });

  it('gives the same 503 as GET when there is no config to give', async () => {
    const overrides = { SUPABASE_URL: controlPlaneUrl(CONFIG_SCENARIOS.down) };
    const get = await answer(await request('/api/config', { headers: ORIGIN_HEADER }, overrides));
    expect(get.status).toBe(503);
    const post = await postReport(usageReport(), {
      address: '198.51.100.14',
      headers: ORIGIN_HEADER,
      overrides,
    });
    expect(await answer(post)).toEqual(get);
  });

  it('hands a valid report to the shard of its installDay', async () => {
    const day = installDay(4711);
    await postReport(usageReport({ installDay: day }), { address: '198.51.100.15' });
    const shard = usageShardOf(day, 8);
    const status = await runInDurableObject(shardStub(shard), (instance) => instance.status());
    expect(status).toMatchObject({ shard, openRows: 1, counters: { accepted: 1 } });
    expect(await reportsHanded()).toBe(1);
  });

  it('ignores reports when telemetry is off, and still answers', async () => {
    const response = await postReport(usageReport(), {
      address: '198.51.100.16',
      overrides: { SUPABASE_SERVICE_ROLE_KEY: '' },
    });
    expect(response.status).toBe(200);
    expect(await reportsHanded()).toBe(0);
  });

  it('lets browsers send it: POST in the preflight of /api/config only, text/plain needs none', async () => {
    const preflight = (path: string) =>
      request(path, {
        method: 'OPTIONS',
        headers: { ...ORIGIN_HEADER, 'access-control-request-method': 'POST' },
      });
    expect((await preflight('/api/config')).headers.get('access-control-allow-methods')).toBe(
      'GET,HEAD,POST,OPTIONS',
    );
    expect((await preflight('/api/plugins')).headers.get('access-control-allow-methods')).toBe(
      'GET,HEAD,OPTIONS',
    );
    const restricted = await postReport(usageReport(), {
      address: '198.51.100.17',
      headers: { origin: 'https://admin.cartae.com' },
      overrides: { CORS_ALLOWED_ORIGINS: 'https://admin.cartae.com' },
    });
    expect(restricted.headers.get('access-control-allow-origin')).toBe('https://admin.cartae.com');
  });
});
