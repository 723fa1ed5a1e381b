import type { Prng } from './prng.ts';

/** Exponential waiting time with the given mean (a Poisson process's gaps). */
export function exponential(rng: Prng, mean: number): number {
  return -Math.log(1 - rng.next()) * mean;
}

/** Standard normal deviate (Box–Muller; one of the pair is enough here). */
export function standardNormal(rng: Prng): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Log-normal deviate described by its median and the sigma of its logarithm. */
export function logNormal(rng: Prng, median: number, sigma: number): number {
  return median * Math.exp(sigma * standardNormal(rng));
}

/** Poisson count with the given mean (Knuth's method: the means used here are small). */
export function poisson(rng: Prng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

/** Uniform number in [low, high). */
export function uniform(rng: Prng, low: number, high: number): number {
  return low + (high - low) * rng.next();
}

/** Index drawn with probability proportional to `cumulative[i] - cumulative[i - 1]`. */
export function pickCumulative(rng: Prng, cumulative: Float64Array): number {
  const target = rng.next() * (cumulative[cumulative.length - 1] as number);
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((cumulative[mid] as number) > target) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** Cumulative sums of weights, for `pickCumulative`. */
export function cumulativeOf(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  return out;
}
