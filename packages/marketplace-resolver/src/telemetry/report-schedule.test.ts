import { USAGE_REPORT_LIMITS } from '@cartae/marketplace-core';
import { describe, expect, it } from 'vitest';
import { reportDue } from './report-schedule.ts';

const M = 60_000;
const T = 1_000 * M; // a minute boundary

describe('reportDue', () => {
  it.each([
    ['nothing closed', [], undefined, T + 5_000, { send: undefined, expired: [] }],
    ['the minute just closed', [T - M], undefined, T + 5_000, { send: T - M, expired: [] }],
    [
      'the newest of several first',
      [T - 3 * M, T - 2 * M, T - M],
      undefined,
      T + 1,
      { send: T - M, expired: [] },
    ],
    [
      'none twice in one wall-clock minute',
      [T - 2 * M],
      T + 1_000,
      T + 45_000,
      { send: undefined, expired: [] },
    ],
    ['one again the next minute', [T - 2 * M], T + 1_000, T + M + 15_000, { send: T - 2 * M, expired: [] }],
    ['the current minute is never sent', [T], undefined, T + 30_000, { send: undefined, expired: [] }],
  ] as const)('%s', (_name, closed, lastSentAt, now, expected) => {
    expect(reportDue(closed, lastSentAt, now)).toEqual(expected);
  });

  it('expires minutes older than the edge accepts, and sends the newest of the rest', () => {
    const old = T - USAGE_REPORT_LIMITS.maxSkewMs - M;
    expect(reportDue([old, T - M], undefined, T + 1)).toEqual({ send: T - M, expired: [old] });
    expect(reportDue([old], undefined, T + 1)).toEqual({ send: undefined, expired: [old] });
  });
});
