import { describe, expect, it } from 'vitest';
import { sourceFigures } from './fleet-figures.ts';
import { FLEET_FIGURE_ROWS, fleetWindowName } from './fleet-rows.ts';
import { parseFleetUsage } from './fleet-usage.ts';

describe('FLEET_FIGURE_ROWS', () => {
  it('reads one source as the table shows it', () => {
    const usage = parseFleetUsage({
      sources: {
        git: {
          requests: 1500,
          errors: 50,
          rateLimited: 0,
          fallbacks: 7,
          latency: [0, 0, 1000, 400, 0, 0, 0, 100],
          quotaRemaining: 12,
          quotaLimit: 60,
        },
      },
    });
    const [git] = usage ? sourceFigures(usage) : [];
    if (!git) throw new Error('no Git figures');
    expect(FLEET_FIGURE_ROWS.map((r) => [r.name, r.value(git)])).toEqual([
      ['Requests', '1,500'],
      ['Errors', '3.3 % (50)'],
      ['Rate-limited (429)', '0 %'],
      ['Fallbacks to it', '7'],
      ['Latency p50', '≤ 250 ms'],
      ['Latency p95', '> 5 s'],
      ['Quota left (lowest)', '12 / 60 left'],
    ]);
  });

  it.each([
    [60, 'last hour'],
    [1440, 'last day'],
    [10_080, 'last 7 days'],
    [15, 'last 15 minutes'],
    [1, 'last minute'],
  ])('names a window of %i minutes "%s"', (minutes, name) => {
    expect(fleetWindowName(minutes)).toBe(name);
  });
});
