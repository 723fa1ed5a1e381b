import { describe, expect, it } from 'vitest';
import { createPrng } from './prng.ts';

function draw(seed: number, stream: string, n: number): number[] {
  const rng = createPrng(seed, stream);
  return Array.from({ length: n }, () => rng.next());
}

describe('createPrng', () => {
  it('gives the same numbers for the same seed and stream', () => {
    expect(draw(1, 'activity', 50)).toEqual(draw(1, 'activity', 50));
  });

  it('gives different numbers for another seed or another stream', () => {
    expect(draw(1, 'activity', 5)).not.toEqual(draw(2, 'activity', 5));
    expect(draw(1, 'activity', 5)).not.toEqual(draw(1, 'fleet', 5));
  });

  it('draws uniformly in [0, 1)', () => {
    const values = draw(7, '', 100_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeCloseTo(0.5, 2);
    const deciles = new Array(10).fill(0);
    for (const v of values) deciles[Math.floor(v * 10)]++;
    for (const count of deciles) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('refuses a seed that is not an integer, saying so', () => {
    expect(() => createPrng(1.5)).toThrow(/seed must be an integer/);
  });
});
