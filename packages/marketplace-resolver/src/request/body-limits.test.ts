import { describe, expect, it } from 'vitest';
import { bodyVerdict } from './body-limits.ts';

const limits = { stallMs: 8000, downloadMs: 300_000 };

describe('bodyVerdict', () => {
  it.each([
    [
      'bytes arrived just now: wait for the next stall point',
      { startedAt: 0, lastByteAt: 9000 },
      10_000,
      { kind: 'wait', until: 17_000 },
    ],
    [
      'silent for less than the stall limit',
      { startedAt: 0, lastByteAt: 2001 },
      10_000,
      { kind: 'wait', until: 10_001 },
    ],
    [
      'silent for exactly the stall limit',
      { startedAt: 0, lastByteAt: 2000 },
      10_000,
      { kind: 'cut', reason: 'stalled' },
    ],
    [
      'still arriving past the old 8 s limit',
      { startedAt: 0, lastByteAt: 74_900 },
      75_000,
      { kind: 'wait', until: 82_900 },
    ],
    [
      'near the ceiling: wait until the ceiling, not the stall point',
      { startedAt: 0, lastByteAt: 299_000 },
      299_500,
      { kind: 'wait', until: 300_000 },
    ],
    [
      'past the ceiling while still arriving',
      { startedAt: 0, lastByteAt: 299_999 },
      300_000,
      { kind: 'cut', reason: 'too-long' },
    ],
  ] as const)('%s', (_, times, now, expected) => {
    expect(bodyVerdict(times, limits, now)).toMatchObject(expected);
  });
});
