import { describe, expect, it } from 'vitest';
import { nextReadDelay } from './read-schedule.ts';

describe('nextReadDelay', () => {
  it.each([
    [5000, 0, 5000],
    [5000, 1, 10_000],
    [5000, 2, 20_000],
    [5000, 3, 40_000],
    [5000, 50, 40_000],
    [10_000, 3, 60_000],
    [120_000, 2, 120_000],
    [1000, -1, 1000],
    [0, 0, undefined],
  ])('refreshMs %i after %i failed reads → %s', (refreshMs, failures, expected) => {
    expect(nextReadDelay(refreshMs, failures)).toBe(expected);
  });
});
