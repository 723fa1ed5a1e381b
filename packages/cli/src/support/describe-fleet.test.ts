import { parseFleetUsage, summarizeFleet } from '@cartae/plugin-admin/service';
import { describe, expect, it } from 'vitest';
import { describeFleet, span } from './describe-fleet.ts';

describe('describeFleet', () => {
  it('names the window in UTC, within a day or across two', () => {
    expect(span('2026-11-30T15:20:00.000Z', '2026-11-30T16:20:00.000Z')).toBe('2026-11-30 15:20–16:20 UTC');
    expect(span('2026-11-29T16:20:00.000Z', '2026-11-30T16:20:00.000Z')).toBe(
      '2026-11-29 16:20 → 2026-11-30 16:20 UTC',
    );
  });

  it('aligns one column per source: names left, figures right', () => {
    const usage = parseFleetUsage({
      from: '2026-11-30T15:20:00.000Z',
      to: '2026-11-30T16:20:00.000Z',
      minutes: 60,
      sources: {
        git: { requests: 8626, errors: 634, rateLimited: 500, quotaRemaining: 12, quotaLimit: 60 },
        cloudflare: { requests: 22151, errors: 147, latency: [10, 0, 0, 0, 0, 0, 0, 0] },
      },
      versions: [{ configVersion: 14, installs: 30 }],
      activeInstalls: 30,
    });
    if (!usage) throw new Error('unreadable');
    expect(describeFleet(usage, summarizeFleet(usage, 14))).toBe(
      [
        'Fleet — last hour (2026-11-30 15:20–16:20 UTC)',
        '',
        '                      Cloudflare CDN            Git',
        'Requests                      22,151          8,626',
        'Errors                   0.7 % (147)    7.3 % (634)',
        'Rate-limited (429)               0 %    5.8 % (500)',
        'Fallbacks to it                    0              0',
        'Latency p50                  ≤ 50 ms              —',
        'Latency p95                  ≤ 50 ms              —',
        'Quota left (lowest)                —   12 / 60 left',
        '',
        'Active installs:  30 (in the latest complete minute)',
        'Config version:   100 % of active installs on v14',
        'Stale serves:     0 (answered from the last good copy: every source failed)',
      ].join('\n'),
    );
  });

  it('says how apps report when none has', () => {
    const usage = parseFleetUsage({ minutes: 1440 });
    if (!usage) throw new Error('unreadable');
    expect(describeFleet(usage, summarizeFleet(usage, 3))).toBe(
      'Fleet — last day\n\nNo reports yet: apps report through the edge endpoint (configUrl) once a minute.',
    );
  });
});
