import {
  type MarketplaceError as CoreError,
  MarketplaceError,
  parseRateLimit,
  parseUsageReport,
  USAGE_REPORT_LIMITS,
} from '@cartae/marketplace-core';
import { describe, expect, it } from 'vitest';
import { type AnswerOutcome, judgeAnswer, type NotFoundMeaning } from '../request/judge-answer.ts';
import { buildUsageReport } from './build-usage-report.ts';
import type { CountedAttempt } from './minute-usage.ts';
import { MAX_CLOSED_MINUTES, UsageCollector } from './usage-collector.ts';

const M = 60_000;
const T = 29_000_000 * M; // a minute boundary in 2025
const HASH = '0123456789abcdef';

/** The stats of the one judgement, exactly as recordJudgement hands them over. */
function judged(outcome: AnswerOutcome, notFound: NotFoundMeaning = 'fault'): CountedAttempt {
  const stats = judgeAnswer({
    source: 'git',
    url: 'https://raw.example/registry.json',
    notFound,
    outcome,
  }).stats;
  if (stats === undefined) throw new Error('not a final judgement');
  return stats;
}
const headers = (status: number, h: Record<string, string> = {}) =>
  ({ stage: 'headers', status, rateLimit: parseRateLimit(status, new Headers(h), T) }) as const;
const body = (status: number, refusal?: CoreError) => ({ stage: 'body', status, refusal }) as const;
const HTML_REFUSAL = new MarketplaceError('registry_invalid_json', 'an HTML page, not JSON', {
  source: 'git',
});

describe('UsageCollector', () => {
  it('counts per kind exactly what the judgement decided, with the latency histogram', () => {
    const usage = new UsageCollector(() => 7);
    const at = (ms: number, outcome: AnswerOutcome, notFound?: NotFoundMeaning) =>
      usage.attempt('git', judged(outcome, notFound), ms, T + 1_000);
    at(40, headers(429, { 'retry-after': '60' }));
    at(60, headers(403, { 'x-ratelimit-remaining': '0' }));
    at(120, headers(500));
    at(300, body(200, HTML_REFUSAL));
    at(8_000, { stage: 'transport', timedOut: true, cause: undefined });
    at(20, { stage: 'transport', timedOut: false, cause: undefined });
    at(30, body(304));
    at(45, body(200));
    at(70, headers(404), 'answer'); // a plugin this source does not have: an answer, not a fault
    usage.attempt('cloudflare', judged(body(200)), 90, T + 2_000);
    usage.fallback('cloudflare', T + 2_000);
    usage.staleServe(T + 3_000);
    const [minute] = usage.closedMinutes(T + M);
    expect(minute?.minute).toBe(T);
    expect(minute?.configVersion).toBe(7);
    expect(minute?.staleServes).toBe(1);
    expect(minute?.sources()).toEqual({
      git: {
        requests: 9,
        successes: 3,
        notModified: 1,
        errors: 6,
        rateLimited: 2,
        timeouts: 1,
        refused: 1,
        fallbacks: 0,
        //        ≤50 ≤100 ≤250 ≤500 ≤1000 ≤2500 ≤5000 more
        latency: [4, 2, 1, 1, 0, 0, 0, 1],
      },
      cloudflare: {
        requests: 1,
        successes: 1,
        notModified: 0,
        errors: 0,
        rateLimited: 0,
        timeouts: 0,
        refused: 0,
        fallbacks: 1,
        latency: [0, 1, 0, 0, 0, 0, 0, 0],
      },
    });
    const text = JSON.stringify(buildUsageReport(minute as NonNullable<typeof minute>, HASH));
    expect(parseUsageReport(text, T + M + 15_000)).toMatchObject({ ok: true });
  });

  it('keeps the lowest quota remaining seen, with its limit and reset; clamps what the contract cannot carry', () => {
    const usage = new UsageCollector(() => undefined);
    const quota = (remaining: string, reset: string) =>
      usage.rateLimit(
        'git',
        parseRateLimit(
          200,
          new Headers({
            'x-ratelimit-remaining': remaining,
            'x-ratelimit-limit': '60',
            'x-ratelimit-reset': reset,
          }),
          T,
        ),
        T + 1,
      );
    quota('50', '1764500000');
    quota('10', '1764500100');
    quota('30', '1764500200');
    usage.rateLimit('cloudflare', parseRateLimit(200, new Headers(), T), T + 1); // no quota headers: nothing
    usage.rateLimit(
      'cloudflare',
      parseRateLimit(
        200,
        new Headers({ 'x-ratelimit-remaining': '999999999999999', 'x-ratelimit-reset': '999999999999999' }),
        T,
      ),
      T + 1,
    );
    const [minute] = usage.closedMinutes(T + M);
    expect(minute?.sources().git?.quota).toEqual({ remaining: 10, limit: 60, resetAt: 1_764_500_100_000 });
    expect(minute?.sources().cloudflare?.quota).toEqual({ remaining: 1_000_000_000 });
    expect(minute?.configVersion).toBeNull();
    const text = JSON.stringify(buildUsageReport(minute as NonNullable<typeof minute>, HASH));
    expect(parseUsageReport(text, T + M)).toMatchObject({ ok: true });
  });

  it('a source saturated within a minute stops counting: the report stays within bounds and consistent', () => {
    const usage = new UsageCollector(() => 3);
    const kinds = [judged(body(200)), judged(headers(500)), judged(body(304)), judged(headers(429))];
    for (let i = 0; i < USAGE_REPORT_LIMITS.maxCount + 500; i++) {
      usage.attempt('git', kinds[i % kinds.length] as CountedAttempt, 10_000, T + 5);
      usage.fallback('git', T + 5);
      usage.staleServe(T + 5);
    }
    const [minute] = usage.closedMinutes(T + M);
    const git = minute?.sources().git;
    expect(git?.requests).toBe(USAGE_REPORT_LIMITS.maxCount);
    expect((git?.successes ?? 0) + (git?.errors ?? 0)).toBe(USAGE_REPORT_LIMITS.maxCount);
    expect(git?.fallbacks).toBe(git?.successes);
    expect(minute?.staleServes).toBe(USAGE_REPORT_LIMITS.maxCount);
    const text = JSON.stringify(buildUsageReport(minute as NonNullable<typeof minute>, HASH));
    expect(text.length).toBeLessThanOrEqual(USAGE_REPORT_LIMITS.maxBytes);
    expect(parseUsageReport(text, T + M)).toMatchObject({ ok: true });
  });

  it('the config version is the one in use at the last event of the minute', () => {
    let version: number | undefined = 4;
    const usage = new UsageCollector(() => version);
    usage.attempt('git', judged(body(200)), 10, T + 1);
    version = 5;
    usage.attempt('git', judged(body(200)), 10, T + 50_000);
    version = 6; // after the minute: not this minute's
    expect(usage.closedMinutes(T + M)[0]?.configVersion).toBe(5);
  });

  it('holds the current minute and at most a few closed ones; the oldest are dropped and counted', () => {
    const usage = new UsageCollector(() => 1);
    for (let m = 0; m < 5; m++) usage.attempt('git', judged(body(200)), 10, T + m * M + 1);
    expect(usage.closedMinutes(T + 4 * M + 2).map((m) => m.minute)).toEqual([T + M, T + 2 * M, T + 3 * M]);
    expect(usage.dropped).toBe(1);
    expect(usage.closedMinutes(T + 5 * M).map((m) => m.minute)).toEqual([T + 2 * M, T + 3 * M, T + 4 * M]);
    expect(usage.closedMinutes(T + 5 * M)).toHaveLength(MAX_CLOSED_MINUTES);
    expect(usage.dropped).toBe(2);
    usage.remove(T + 4 * M);
    usage.discard(T + 2 * M);
    expect(usage.closedMinutes(T + 5 * M).map((m) => m.minute)).toEqual([T + 3 * M]);
    expect(usage.dropped).toBe(3);
  });

  it('a quiet minute closes into nothing; a clock that steps back counts into the current minute', () => {
    const usage = new UsageCollector(() => 1);
    usage.fallback('git', T + 1); // no success to fall back to: nothing to count
    usage.attempt('git', judged(body(200)), 10, T + 2 * M + 5);
    usage.attempt('git', judged(body(200)), 10, T + 2 * M - 5);
    expect(usage.closedMinutes(T + 3 * M).map((m) => [m.minute, m.sources().git?.requests])).toEqual([
      [T + 2 * M, 2],
    ]);
  });

  it('stop() forgets everything held and counts nothing more', () => {
    const usage = new UsageCollector(() => 1);
    usage.attempt('git', judged(body(200)), 10, T + 1);
    usage.attempt('git', judged(body(200)), 10, T + M + 1);
    usage.stop();
    usage.attempt('git', judged(body(200)), 10, T + 2 * M + 1);
    expect(usage.active).toBe(false);
    expect(usage.closedMinutes(T + 3 * M)).toEqual([]);
    expect(usage.dropped).toBe(2);
  });
});
