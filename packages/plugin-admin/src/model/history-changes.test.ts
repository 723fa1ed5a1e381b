import { describe, expect, it } from 'vitest';
import { describeChanges } from './history-changes.ts';

const line = (before: unknown, after: unknown) =>
  describeChanges(before, after).map((c) => `${c.label}: ${c.before} → ${c.after}`);

describe('describeChanges', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, string[]]>([
    ['a TTL in seconds', { cacheTtlSeconds: 30 }, { cacheTtlSeconds: 60 }, ['Cache TTL: 30 s → 60 s']],
    [
      'a switch, with the order tried',
      { type: 'git', priority: ['git'] },
      { type: 'hybrid', priority: ['cloudflare', 'git'] },
      ['Source: Git → Hybrid (both sources)', 'Order tried: Git → CDN → Git'],
    ],
    [
      'a canary share',
      { canaryPercent: 100 },
      { canaryPercent: 12.5 },
      ['Canary percentage: 100 % → 12.5 %'],
    ],
    [
      'a URL by its source',
      { gitUrl: 'https://a/r.json' },
      { gitUrl: 'https://b/r.json' },
      ['Git URL: https://a/r.json → https://b/r.json'],
    ],
    ['on and off', { fallbackOnError: true }, { fallbackOnError: false }, ['Fall back on error: on → off']],
    [
      'a nested setting added whole',
      {},
      { autoSwitch: { enabled: true, rateLimitedPercent: 70, windowMinutes: 5, target: 'cloudflare' } },
      [
        'Automatic switch: not set → on',
        'Automatic switch: rate-limited threshold: not set → 70 %',
        'Automatic switch: window: not set → 5 min',
        'Automatic switch: target: not set → Cloudflare CDN',
      ],
    ],
    [
      'ramp steps',
      { canaryRamp: { steps: [10, 100] } },
      { canaryRamp: { steps: [5, 25, 100] } },
      ['Canary ramp: steps: 10 → 100 % → 5 → 25 → 100 %'],
    ],
    [
      'an unknown key, by its path, last',
      { x: { y: 1 }, cacheTtlSeconds: 1 },
      { x: { y: 2 }, cacheTtlSeconds: 2 },
      ['Cache TTL: 1 s → 2 s', 'x.y: 1 → 2'],
    ],
    ['nothing', { cacheTtlSeconds: 30 }, { cacheTtlSeconds: 30 }, []],
  ])('%s', (_name, before, after, expected) => {
    expect(line(before, after)).toEqual(expected);
  });

  it('reads a null "before" (the first version) as nothing set', () => {
    expect(line(null, { cacheTtlSeconds: 30 })).toEqual(['Cache TTL: not set → 30 s']);
  });
});
