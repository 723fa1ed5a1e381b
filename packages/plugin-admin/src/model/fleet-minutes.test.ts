import { describe, expect, it } from 'vitest';
import { minuteRows } from './fleet-minutes.ts';
import { parseFleetUsage } from './fleet-usage.ts';

const at = (hh: number, mm: number) => Date.UTC(2026, 10, 30, hh, mm);
const iso = (hh: number, mm: number) => new Date(at(hh, mm)).toISOString();

describe('minuteRows', () => {
  it('fills every complete minute of the window, zeros where a source was silent, current minute left out', () => {
    const usage = parseFleetUsage({
      from: iso(15, 0),
      to: iso(15, 5),
      minutes: 5,
      sources: { git: { requests: 9 }, cloudflare: { requests: 4 } },
      series: [
        { minute: iso(15, 1), source: 'git', requests: 5, errors: 1, rateLimited: 1 },
        { minute: iso(15, 1), source: 'cloudflare', requests: 4 },
        { minute: iso(15, 3), source: 'git', requests: 3 },
        { minute: iso(15, 4), source: 'git', requests: 1 },
      ],
    });
    if (!usage) throw new Error('unreadable');
    const { kinds, rows } = minuteRows(usage);
    expect(kinds).toEqual(['cloudflare', 'git']);
    const zero = { requests: 0, errors: 0, rateLimited: 0 };
    expect(rows).toEqual([
      { at: at(15, 0), sources: { cloudflare: zero, git: zero } },
      {
        at: at(15, 1),
        sources: { cloudflare: { ...zero, requests: 4 }, git: { requests: 5, errors: 1, rateLimited: 1 } },
      },
      { at: at(15, 2), sources: { cloudflare: zero, git: zero } },
      { at: at(15, 3), sources: { cloudflare: zero, git: { ...zero, requests: 3 } } },
    ]);
  });

  it('without a readable window, the series bounds it', () => {
    const usage = parseFleetUsage({
      series: [
        { minute: iso(15, 1), source: 'git', requests: 2 },
        { minute: iso(15, 3), source: 'git', requests: 1 },
      ],
    });
    if (!usage) throw new Error('unreadable');
    expect(minuteRows(usage).rows.map((r) => [r.at, r.sources.git?.requests])).toEqual([
      [at(15, 1), 2],
      [at(15, 2), 0],
      [at(15, 3), 1],
    ]);
  });

  it('has nothing to draw when nothing reported', () => {
    const usage = parseFleetUsage({ from: iso(15, 0), to: iso(16, 0), minutes: 60 });
    if (!usage) throw new Error('unreadable');
    expect(minuteRows(usage)).toEqual({ kinds: [], rows: [] });
  });

  it('never draws more than 7 days of minutes, whatever the window says', () => {
    const usage = parseFleetUsage({
      from: '1970-01-01T00:00:00.000Z',
      to: iso(16, 0),
      series: [{ minute: iso(15, 0), source: 'git', requests: 1 }],
    });
    if (!usage) throw new Error('unreadable');
    expect(minuteRows(usage).rows).toHaveLength(10_080);
  });
});
