import { describe, expect, it } from 'vitest';
import {
  LATENCY_BUCKET_COUNT,
  latencyBucket,
  latencyPercentile,
  parseUsageReport,
  USAGE_REPORT_LIMITS,
} from './usage-report.ts';

const NOW = Date.UTC(2026, 10, 30, 12, 0, 30);
const MINUTE = Date.UTC(2026, 10, 30, 12, 0, 0);
const usage = {
  requests: 10,
  successes: 7,
  notModified: 5,
  errors: 3,
  rateLimited: 2,
  timeouts: 1,
  refused: 0,
  fallbacks: 1,
  latency: [6, 2, 1, 0, 0, 0, 0, 1],
  quota: { remaining: 12, limit: 60, resetAt: MINUTE + 3_600_000 },
};
const report = {
  schemaVersion: 1,
  sdkVersion: '0.1.0',
  configVersion: 14,
  installDay: '0123456789abcdef',
  minute: MINUTE,
  staleServes: 0,
  sources: { git: usage, cloudflare: { ...usage, quota: undefined } },
};
const text = (value: unknown) => JSON.stringify(value);

describe('parseUsageReport', () => {
  it('accepts a well-formed report and drops source kinds it does not know', () => {
    const r = parseUsageReport(text({ ...report, sources: { ...report.sources, s3: usage } }), NOW);
    expect(r.ok).toBe(true);
    if (r.ok) expect(Object.keys(r.value.sources).sort()).toEqual(['cloudflare', 'git']);
  });

  it.each<[string, unknown, RegExp]>([
    ['not JSON', '<html>', /not valid JSON/],
    ['an address-like install field', { ...report, installDay: '203.0.113.9' }, /installDay/],
    [
      'a counter past the bound',
      { ...report, sources: { git: { ...usage, requests: 10_001 } } },
      /sources.git/,
    ],
    [
      'more successes and errors than requests',
      { ...report, sources: { git: { ...usage, successes: 9 } } },
      /do not add up/,
    ],
    [
      'error kinds past the errors',
      { ...report, sources: { git: { ...usage, refused: 3 } } },
      /exceed its errors/,
    ],
    [
      'a latency histogram of the wrong size',
      { ...report, sources: { git: { ...usage, latency: [1] } } },
      /sources.git/,
    ],
    [
      'more latencies than requests',
      { ...report, sources: { git: { ...usage, latency: [11, 0, 0, 0, 0, 0, 0, 0] } } },
      /latency/,
    ],
    ['a minute not on a minute', { ...report, minute: MINUTE + 1 }, /minute/],
    ['a minute from last week', { ...report, minute: MINUTE - 7 * 86_400_000 }, /too far/],
    ['a negative config version', { ...report, configVersion: -1 }, /configVersion/],
  ])('refuses %s', (_name, value, message) => {
    const r = parseUsageReport(typeof value === 'string' ? value : text(value), NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('usage_report_invalid');
      expect(r.error.message).toMatch(message);
    }
  });

  it('refuses a body past the size bound before parsing it', () => {
    const r = parseUsageReport(`{"pad":"${'x'.repeat(USAGE_REPORT_LIMITS.maxBytes)}"}`, NOW);
    expect(r.ok ? '' : r.error.message).toMatch(/larger than 4096 bytes/);
  });
});

describe('latencyBucket', () => {
  it.each([
    [0, 0],
    [50, 0],
    [51, 1],
    [999, 4],
    [5000, 6],
    [5001, LATENCY_BUCKET_COUNT - 1],
  ])('%i ms → bucket %i', (ms, bucket) => {
    expect(latencyBucket(ms)).toBe(bucket);
  });
});

describe('latencyPercentile', () => {
  it.each<[number[], number, number | undefined]>([
    [[6, 2, 1, 0, 0, 0, 0, 1], 0.5, 50],
    [[6, 2, 1, 0, 0, 0, 0, 1], 0.9, 250],
    [[6, 2, 1, 0, 0, 0, 0, 1], 0.95, undefined],
    [[0, 0, 0, 0, 0, 0, 0, 0], 0.5, undefined],
    [[0, 0, 0, 4, 0, 0, 0, 0], 0.95, 500],
  ])('%j at %f → %s', (histogram, p, ms) => {
    expect(latencyPercentile(histogram, p)).toBe(ms);
  });
});

describe('USAGE_REPORT_LIMITS.maxAggregateCount', () => {
  it('is the bound the control plane checks (c_max_count of the usage migration)', async () => {
    // Read as text: the core stays runtime-free, only its test looks at the SQL.
    const { readFile } = await import('node:fs/promises');
    const sql = await readFile(
      new URL('../../../supabase/migrations/20261130180000_usage_aggregates.sql', import.meta.url),
      'utf8',
    );
    const literal = /c_max_count constant numeric := (\d+);/.exec(sql)?.[1];
    expect(Number(literal)).toBe(USAGE_REPORT_LIMITS.maxAggregateCount);
    // A shard's minute holds many reports: the row bound is far above one report's.
    expect(USAGE_REPORT_LIMITS.maxAggregateCount).toBeGreaterThan(USAGE_REPORT_LIMITS.maxCount * 100);
  });
});
