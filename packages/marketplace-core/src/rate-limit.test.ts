import { describe, expect, it } from 'vitest';
import { parseRateLimit, parseRetryAfter } from './rate-limit.ts';

const NOW = Date.parse('2026-11-24T12:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['120', NOW + 120_000],
    ['0', NOW],
    ['Tue, 24 Nov 2026 12:01:00 GMT', NOW + 60_000],
    ['Tue, 24 Nov 2026 11:00:00 GMT', NOW],
    ['soon', undefined],
    ['-5', undefined],
  ])('%j', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
  it('absent header', () => expect(parseRetryAfter(null, NOW)).toBeUndefined());
});

describe('parseRateLimit', () => {
  const reset = Math.floor(NOW / 1000) + 1800;
  it.each([
    [
      '200 with quota left',
      200,
      { 'x-ratelimit-remaining': '42', 'x-ratelimit-limit': '60', 'x-ratelimit-reset': String(reset) },
      { limited: false, remaining: 42, limit: 60, resetAt: reset * 1000 },
    ],
    ['429 with retry-after seconds', 429, { 'retry-after': '60' }, { limited: true, retryAt: NOW + 60_000 }],
    ['429 without headers', 429, {}, { limited: true }],
    [
      '403 GitHub primary rate limit',
      403,
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-limit': '60', 'x-ratelimit-reset': String(reset) },
      { limited: true, retryAt: reset * 1000, remaining: 0, limit: 60, resetAt: reset * 1000 },
    ],
    [
      '403 that is not a rate limit',
      403,
      { 'x-ratelimit-remaining': '12' },
      { limited: false, remaining: 12 },
    ],
    ['403 without headers', 403, {}, { limited: false }],
    [
      'retry-after wins over reset',
      429,
      { 'retry-after': '5', 'x-ratelimit-reset': String(reset) },
      { limited: true, retryAt: NOW + 5000, resetAt: reset * 1000 },
    ],
    [
      'garbage headers are ignored',
      429,
      { 'retry-after': 'later', 'x-ratelimit-remaining': 'lots' },
      { limited: true },
    ],
  ])('%s', (_name, status, headers, expected) => {
    expect(parseRateLimit(status, new Headers(headers), NOW)).toEqual(expected);
  });
});
