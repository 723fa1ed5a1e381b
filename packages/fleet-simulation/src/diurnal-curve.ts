import { cumulativeOf, pickCumulative } from './distributions.ts';
import type { Prng } from './prng.ts';

/**
 * Relative rate at which people open the app, per local hour (0 h … 23 h): quiet nights, a
 * morning peak, a long afternoon and an evening bump. Shape, not volume.
 */
export const HOURLY_SESSION_WEIGHTS: readonly number[] = [
  0.25, 0.12, 0.07, 0.05, 0.05, 0.1, 0.3, 0.7, 1.1, 1.4, 1.5, 1.35, 1.1, 1.2, 1.4, 1.45, 1.35, 1.2, 1.05, 1.0,
  1.1, 1.05, 0.8, 0.5,
];

const MINUTES_PER_DAY = 1440;

/** Per-minute cumulative weights, linearly interpolated between hour midpoints. */
function minuteCumulative(): Float64Array {
  const weights: number[] = [];
  for (let minute = 0; minute < MINUTES_PER_DAY; minute++) {
    const h = minute / 60 - 0.5;
    const low = Math.floor(h);
    const frac = h - low;
    const a = HOURLY_SESSION_WEIGHTS[(low + 24) % 24] as number;
    const b = HOURLY_SESSION_WEIGHTS[(low + 25) % 24] as number;
    weights.push(a + (b - a) * frac);
  }
  return cumulativeOf(weights);
}

const CUMULATIVE = minuteCumulative();

/** A session start within a day, in ms since that day's midnight, drawn from the daily curve. */
export function sampleTimeOfDay(rng: Prng): number {
  const minute = pickCumulative(rng, CUMULATIVE);
  return (minute + rng.next()) * 60_000;
}
