import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatLatency,
  formatQuota,
  formatShare,
  type LatencyFigure,
  latencyFigure,
  share,
  sourceFigures,
} from './fleet-figures.ts';
import { type FleetSourceTotals, parseFleetUsage } from './fleet-usage.ts';

describe('latencyFigure', () => {
  it.each<[string, number[], number, LatencyFigure]>([
    ['no requests measured', [0, 0, 0, 0, 0, 0, 0, 0], 0.5, { kind: 'none' }],
    ['the median in the first bucket', [6, 2, 1, 0, 0, 0, 0, 1], 0.5, { kind: 'at-most', ms: 50 }],
    [
      'p95 of the same lands in the overflow bucket',
      [6, 2, 1, 0, 0, 0, 0, 1],
      0.95,
      { kind: 'over', ms: 5000 },
    ],
    ['p95 in the 1 s bucket', [0, 0, 0, 10, 90, 0, 0, 0], 0.95, { kind: 'at-most', ms: 1000 }],
    ['a single slow request', [0, 0, 0, 0, 0, 0, 1, 0], 0.5, { kind: 'at-most', ms: 5000 }],
    ['everything slower than 5 s', [0, 0, 0, 0, 0, 0, 0, 4], 0.5, { kind: 'over', ms: 5000 }],
  ])('%s', (_name, histogram, p, expected) => {
    expect(latencyFigure(histogram, p)).toEqual(expected);
  });

  it.each<[LatencyFigure, string]>([
    [{ kind: 'none' }, '—'],
    [{ kind: 'at-most', ms: 250 }, '≤ 250 ms'],
    [{ kind: 'at-most', ms: 1000 }, '≤ 1 s'],
    [{ kind: 'at-most', ms: 2500 }, '≤ 2.5 s'],
    [{ kind: 'over', ms: 5000 }, '> 5 s'],
  ])('formats %j as %s', (figure, text) => {
    expect(formatLatency(figure)).toBe(text);
  });
});

describe('shares', () => {
  it.each<[number, number, number | null, string]>([
    [0, 0, null, '—'],
    [0, 150, 0, '0 %'],
    [5, 150, 5 / 150, '3.3 %'],
    [1, 5000, 1 / 5000, '< 0.1 %'],
    [30, 150, 0.2, '20 %'],
    [150, 150, 1, '100 %'],
    [151, 150, 1, '100 %'],
  ])('%i of %i', (part, whole, value, text) => {
    expect(share(part, whole)).toBe(value);
    expect(formatShare(share(part, whole))).toBe(text);
  });
});

describe('formatQuota and formatCount', () => {
  it('says what is left of what', () => {
    expect(formatQuota(12, 60)).toBe('12 / 60 left');
    expect(formatQuota(4200, 5000)).toBe('4,200 / 5,000 left');
    expect(formatQuota(12, null)).toBe('12 left');
    expect(formatQuota(null, 60)).toBe('—');
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});

describe('sourceFigures', () => {
  const totals = (fields: Partial<FleetSourceTotals>) => ({
    requests: 0,
    errors: 0,
    rateLimited: 0,
    fallbacks: 0,
    latency: [0, 0, 0, 0, 0, 0, 0, 0],
    quotaRemaining: null,
    quotaLimit: null,
    ...fields,
  });

  it('gives each source that reported its figures, in the table order (CDN, then Git)', () => {
    const usage = parseFleetUsage({
      sources: {
        git: totals({
          requests: 200,
          errors: 10,
          rateLimited: 4,
          fallbacks: 3,
          latency: [0, 100, 70, 10, 0, 0, 0, 20],
          quotaRemaining: 12,
          quotaLimit: 60,
        }),
        cloudflare: totals({ requests: 50, latency: [50, 0, 0, 0, 0, 0, 0, 0] }),
      },
    });
    if (!usage) throw new Error('unreadable');
    expect(sourceFigures(usage)).toEqual([
      {
        source: 'cloudflare',
        label: 'Cloudflare CDN',
        shortLabel: 'CDN',
        requests: 50,
        errors: 0,
        errorShare: 0,
        rateLimited: 0,
        rateLimitedShare: 0,
        fallbacks: 0,
        p50: { kind: 'at-most', ms: 50 },
        p95: { kind: 'at-most', ms: 50 },
        quotaRemaining: null,
        quotaLimit: null,
      },
      {
        source: 'git',
        label: 'Git',
        shortLabel: 'Git',
        requests: 200,
        errors: 10,
        errorShare: 0.05,
        rateLimited: 4,
        rateLimitedShare: 0.02,
        fallbacks: 3,
        p50: { kind: 'at-most', ms: 100 },
        p95: { kind: 'over', ms: 5000 },
        quotaRemaining: 12,
        quotaLimit: 60,
      },
    ]);
  });

  it('is empty when nothing reported', () => {
    const usage = parseFleetUsage({});
    expect(usage && sourceFigures(usage)).toEqual([]);
  });
});
