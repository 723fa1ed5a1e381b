import { describe, expect, it } from 'vitest';
import { parseFleetUsage } from './fleet-usage.ts';

const git = {
  requests: 150,
  successes: 145,
  notModified: 5,
  errors: 5,
  rateLimited: 2,
  timeouts: 2,
  refused: 1,
  fallbacks: 0,
  latency: [75, 62, 8, 4, 0, 0, 0, 1],
  quotaRemaining: 200,
  quotaLimit: 5000,
};

describe('parseFleetUsage', () => {
  it('reads the documented answer as is', () => {
    const usage = parseFleetUsage({
      from: '2026-11-30T14:21:00.000Z',
      to: '2026-11-30T15:21:00.000Z',
      minutes: 60,
      sources: { git },
      series: [
        {
          minute: '2026-11-30T15:00:00.000Z',
          source: 'git',
          requests: 20,
          errors: 2,
          rateLimited: 0,
          fallbacks: 0,
          installs: 7,
        },
      ],
      versions: [
        { configVersion: 5, installs: 6 },
        { configVersion: 4, installs: 2 },
      ],
      activeInstalls: 7,
      staleServes: 3,
    });
    expect(usage).toEqual({
      from: '2026-11-30T14:21:00.000Z',
      to: '2026-11-30T15:21:00.000Z',
      minutes: 60,
      sources: { git },
      series: [
        {
          minute: '2026-11-30T15:00:00.000Z',
          source: 'git',
          requests: 20,
          errors: 2,
          rateLimited: 0,
          fallbacks: 0,
          installs: 7,
        },
      ],
      versions: [
        { configVersion: 5, installs: 6 },
        { configVersion: 4, installs: 2 },
      ],
      activeInstalls: 7,
      staleServes: 3,
    });
  });

  it('ignores source kinds it does not know, in totals and in the series', () => {
    const usage = parseFleetUsage({
      sources: { git, r2: git },
      series: [
        { minute: '2026-11-30T15:00:00.000Z', source: 'r2', requests: 1 },
        { minute: '2026-11-30T15:00:00.000Z', source: 'git', requests: 1 },
      ],
    });
    expect(Object.keys(usage?.sources ?? {})).toEqual(['git']);
    expect(usage?.series.map((m) => m.source)).toEqual(['git']);
  });

  it('reads missing lists as empty, missing counts as 0, and never invents a window', () => {
    expect(parseFleetUsage({})).toEqual({
      from: null,
      to: null,
      minutes: 0,
      sources: {},
      series: [],
      versions: [],
      activeInstalls: 0,
      staleServes: 0,
    });
    expect(parseFleetUsage({ sources: null, series: 'x', versions: {} })?.series).toEqual([]);
  });

  it('repairs a garbled source: counters become 0, the histogram is 8 buckets, quotas null', () => {
    const usage = parseFleetUsage({
      sources: {
        cloudflare: { requests: -3, errors: 'many', latency: [1, 2], quotaRemaining: 'x' },
        git: 'not an object',
      },
    });
    expect(usage?.sources).toEqual({
      cloudflare: {
        requests: 0,
        successes: 0,
        notModified: 0,
        errors: 0,
        rateLimited: 0,
        timeouts: 0,
        refused: 0,
        fallbacks: 0,
        latency: [1, 2, 0, 0, 0, 0, 0, 0],
        quotaRemaining: null,
        quotaLimit: null,
      },
    });
  });

  it('drops series minutes without a readable time, and versions that are not whole numbers', () => {
    const usage = parseFleetUsage({
      series: [{ minute: 'yesterday', source: 'git', requests: 1 }, { source: 'git' }],
      versions: [
        { configVersion: 1.5, installs: 1 },
        { configVersion: -1 },
        { installs: 3 },
        { configVersion: 0 },
      ],
    });
    expect(usage?.series).toEqual([]);
    expect(usage?.versions).toEqual([{ configVersion: 0, installs: 0 }]);
  });

  it.each([null, undefined, 'text', 42, []])('refuses %j: not an answer at all', (data) => {
    expect(parseFleetUsage(data)).toBeUndefined();
  });
});
