import { describe, expect, it } from 'vitest';
import { readBoundedText } from '../src/http/bounded-body.ts';
import { AddressRateLimiter, REPORTS_PER_ADDRESS, takeToken } from '../src/usage/address-rate-limit.ts';
import { INITIAL_AGGREGATOR_STATE } from '../src/usage/aggregator-state.ts';
import { IDLE_FLUSH } from '../src/usage/flush-state.ts';
import { IntakeTally } from '../src/usage/intake-tally.ts';
import { shardHealth, summariseUsage } from '../src/usage/usage-health.ts';
import { usageTelemetry } from '../src/usage/usage-telemetry.ts';

/** The Worker side of telemetry and /health, as pure functions (the shards: usage-functions.test.ts). */
const M = Date.UTC(2026, 5, 1, 12, 0); // a minute

describe('the per-address rate limit', () => {
  it('allows five reports a minute from an address and refills evenly', () => {
    let bucket: ReturnType<typeof takeToken>['bucket'] | undefined;
    const results: boolean[] = [];
    for (let i = 0; i < 6; i++) {
      const taken = takeToken(bucket, M, REPORTS_PER_ADDRESS);
      results.push(taken.allowed);
      bucket = taken.bucket;
    }
    expect(results).toEqual([true, true, true, true, true, false]);
    expect(takeToken(bucket, M + 11_000, REPORTS_PER_ADDRESS).allowed).toBe(false);
    expect(takeToken(bucket, M + 12_000, REPORTS_PER_ADDRESS).allowed).toBe(true);
  });

  it('keys buckets by address, shares one among requests without one, and stays bounded', async () => {
    const limiter = new AddressRateLimiter(REPORTS_PER_ADDRESS, 3);
    for (let i = 0; i < 5; i++) expect(await limiter.allow('192.0.2.1', M)).toBe(true);
    expect(await limiter.allow('192.0.2.1', M)).toBe(false);
    expect(await limiter.allow('192.0.2.2', M)).toBe(true);
    for (let i = 0; i < 5; i++) await limiter.allow(null, M);
    expect(await limiter.allow(null, M)).toBe(false);
    // Bounded at 3 addresses: the least recently seen is forgotten (and starts afresh).
    await limiter.allow('192.0.2.3', M);
    await limiter.allow('192.0.2.4', M);
    expect(await limiter.allow('192.0.2.1', M)).toBe(true);
  });
});

describe('the intake tally', () => {
  it('logs counts by outcome at most once a minute', () => {
    const lines: Record<string, unknown>[] = [];
    const log = (event: string, details: Record<string, unknown>) => lines.push({ event, ...details });
    const tally = new IntakeTally();
    tally.count('accepted', M, log);
    tally.count('rate_limited', M + 10_000, log);
    tally.count('invalid', M + 59_999, log);
    expect(lines).toEqual([]);
    tally.count('accepted', M + 60_000, log);
    expect(lines).toEqual([
      { event: 'usage_intake', since: new Date(M).toISOString(), accepted: 2, rate_limited: 1, invalid: 1 },
    ]);
  });
});

describe('whether telemetry is on', () => {
  const binding = {} as Env['USAGE_AGGREGATOR'];
  const policy = { urlPolicy: { allowLoopbackHttp: false } };
  it.each([
    [{}, 'telemetry disabled: the USAGE_AGGREGATOR binding is missing'],
    [
      { USAGE_AGGREGATOR: binding, SUPABASE_URL: 'https://x.supabase.co' },
      'telemetry flush disabled: SUPABASE_SERVICE_ROLE_KEY is not set',
    ],
    [
      { USAGE_AGGREGATOR: binding, SUPABASE_SERVICE_ROLE_KEY: 'k' },
      'telemetry flush disabled: SUPABASE_URL is not set',
    ],
    [
      { USAGE_AGGREGATOR: binding, SUPABASE_SERVICE_ROLE_KEY: 'k', SUPABASE_URL: 'http://x.supabase.co' },
      'telemetry flush disabled: SUPABASE_URL',
    ],
  ])('%j → off', (env, reason) => {
    const telemetry = usageTelemetry(env, policy);
    expect(telemetry.enabled).toBe(false);
    expect(telemetry.enabled ? '' : telemetry.reason).toContain(reason);
  });

  it('sends to ingest_usage_aggregates with the service role key', () => {
    const env = {
      USAGE_AGGREGATOR: binding,
      SUPABASE_SERVICE_ROLE_KEY: 'k',
      SUPABASE_URL: 'https://x.supabase.co/',
    };
    expect(usageTelemetry(env, policy)).toEqual({
      enabled: true,
      target: { url: 'https://x.supabase.co/rest/v1/rpc/ingest_usage_aggregates', serviceRoleKey: 'k' },
    });
  });
});

describe('/health usage section', () => {
  it('summarises shards: the latest delivery, failures, unreachable shards', () => {
    const counters = INITIAL_AGGREGATOR_STATE.counters;
    const ok = shardHealth(0, {
      shard: 0,
      flush: { kind: 'delivered', at: M, rows: 3 },
      openRows: 1,
      pendingRows: 0,
      counters,
    });
    const later = shardHealth(1, {
      shard: 1,
      flush: { kind: 'delivered', at: M + 60_000, rows: 2 },
      openRows: 0,
      pendingRows: 0,
      counters,
    });
    const failing = shardHealth(2, {
      shard: 2,
      flush: {
        kind: 'failing',
        at: M,
        failures: 2,
        error: 'control plane answered HTTP 503',
        lastDelivered: null,
      },
      openRows: 0,
      pendingRows: 4,
      counters,
    });
    expect(summariseUsage([ok, later])).toMatchObject({
      state: 'ok',
      lastFlush: { at: new Date(M + 60_000).toISOString(), rows: 2, shard: 1 },
      failures: 0,
    });
    expect(summariseUsage([ok, failing])).toMatchObject({
      state: 'failing',
      failures: 2,
      message: expect.stringContaining('503'),
    });
    expect(summariseUsage([ok, shardHealth(3, undefined)]).state).toBe('unknown');
    expect(
      summariseUsage([
        shardHealth(0, { shard: null, flush: IDLE_FLUSH, openRows: 0, pendingRows: 0, counters }),
      ]).state,
    ).toBe('idle');
  });
});

describe('reading a bounded body', () => {
  const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
    new Request('https://x.test/', { method: 'POST', body, headers });
  it.each([
    ['no body', post(null), { kind: 'empty' }],
    ['an empty body', post(''), { kind: 'empty' }],
    ['text', post('{"a":1}'), { kind: 'text', text: '{"a":1}' }],
    ['a body over the limit', post('x'.repeat(11)), { kind: 'too_large' }],
    ['a stream over the limit', post(new Blob(['x'.repeat(64)]).stream()), { kind: 'too_large' }],
    ['a declared length over the limit', post('x', { 'content-length': '11' }), { kind: 'too_large' }],
    ['bytes that are not UTF-8', post(new Uint8Array([0xff, 0xfe])), { kind: 'unreadable' }],
  ])('%s', async (_, request, expected) => {
    expect(await readBoundedText(request, 10)).toEqual(expected);
  });
});
