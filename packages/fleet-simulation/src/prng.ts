import { fnv1a32 } from '@cartae/marketplace-core';

/** A deterministic source of uniform numbers in [0, 1). */
export interface Prng {
  next(): number;
}

/** SplitMix32 step: spreads a small or structured seed over all 32 bits. */
function splitMix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A seeded PRNG (SFC32, 128-bit state), one independent stream per `stream` name, so adding
 * randomness to one part of the model never shifts the numbers another part draws.
 *
 * @example
 * const rng = createPrng(1, 'activity');
 * rng.next(); // the same number on every machine, every run
 */
export function createPrng(seed: number, stream = ''): Prng {
  if (!Number.isInteger(seed)) throw new TypeError(`createPrng: seed must be an integer, got ${seed}`);
  let s = splitMix32((seed ^ fnv1a32(stream)) >>> 0);
  let a = s;
  s = splitMix32(s);
  let b = s;
  s = splitMix32(s);
  let c = s;
  s = splitMix32(s);
  let d = s | 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  };
  // Discard the first outputs: SFC's first few are correlated with the seed.
  for (let i = 0; i < 12; i++) next();
  return { next };
}
