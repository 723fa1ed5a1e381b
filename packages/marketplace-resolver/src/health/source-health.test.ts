import { describe, expect, it } from 'vitest';
import { ejectionDuration, DEFAULT_EJECTION_POLICY as P } from './ejection-policy.ts';
import {
  HEALTHY,
  recordFailure,
  recordSuccess,
  type SourceHealthState,
  settle,
  toView,
} from './source-health.ts';

const fail = (
  s: SourceHealthState,
  now = 0,
  reason: 'source_http_error' | 'source_rate_limited' = 'source_http_error',
  retryAt?: number,
) => recordFailure(s, { reason, now, ...(retryAt === undefined ? {} : { retryAt }) }, P);

describe('source health', () => {
  it('ejects after three consecutive failures, for 30 s', () => {
    const s1 = fail(HEALTHY);
    const s2 = fail(s1);
    expect(s2).toEqual({ status: 'admitted', consecutiveFailures: 2, ejections: 0 });
    expect(fail(s2, 1000)).toEqual({
      status: 'ejected',
      until: 31_000,
      ejections: 1,
      reason: 'source_http_error',
    });
  });

  it('a success in between resets the count', () => {
    expect(fail(recordSuccess(fail(fail(HEALTHY))))).toEqual({
      status: 'admitted',
      consecutiveFailures: 1,
      ejections: 0,
    });
  });

  it('a rate limit ejects at once until retry-after', () => {
    expect(fail(HEALTHY, 0, 'source_rate_limited', 60_000)).toEqual({
      status: 'ejected',
      until: 60_000,
      ejections: 1,
      reason: 'source_rate_limited',
    });
  });

  it('a rate limit without a time uses the default, and hostile times are clamped', () => {
    expect(fail(HEALTHY, 0, 'source_rate_limited')).toMatchObject({ until: 60_000 });
    expect(fail(HEALTHY, 0, 'source_rate_limited', 10 ** 13)).toMatchObject({ until: 3_600_000 });
    expect(fail(HEALTHY, 5000, 'source_rate_limited', 0)).toMatchObject({ until: 6000 });
  });

  it('after the ejection a source is on trial: one failure ejects it for twice as long', () => {
    const ejected = fail(fail(fail(HEALTHY)));
    const trial = settle(ejected, 30_000);
    expect(trial).toEqual({ status: 'admitted', consecutiveFailures: 0, ejections: 1 });
    expect(fail(trial, 30_000)).toEqual({
      status: 'ejected',
      until: 90_000,
      ejections: 2,
      reason: 'source_http_error',
    });
  });

  it('settle leaves a running ejection alone', () => {
    const ejected = fail(fail(fail(HEALTHY)));
    expect(settle(ejected, 29_999)).toBe(ejected);
  });

  it.each([
    [1, 30_000],
    [2, 60_000],
    [3, 120_000],
    [4, 240_000],
    [5, 300_000],
    [50, 300_000],
  ])('ejection %i lasts %i ms', (n, ms) => {
    expect(ejectionDuration(n, P)).toBe(ms);
  });

  it('serialises and restores through JSON', () => {
    const s = fail(fail(fail(HEALTHY)));
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('exposes ejection and quota to source selection', () => {
    expect(toView(fail(HEALTHY, 0, 'source_rate_limited', 5000), { remaining: 0, resetAt: 5000 })).toEqual({
      ejectedUntil: 5000,
      rateLimitRemaining: 0,
      rateLimitResetAt: 5000,
    });
    expect(toView(HEALTHY, undefined)).toEqual({});
  });
});
