/**
 * Sticky canary bucketing. Reproducible anywhere (Worker, SQL, other languages):
 *
 *   bucket = FNV-1a-32( UTF-8( salt + ":" + installId ) ) mod 10000
 *
 * FNV-1a 32-bit: h = 0x811c9dc5; for each byte b: h = (h XOR b) * 0x01000193 mod 2^32.
 * An install whose bucket is below `canaryPercent * 100` takes the canary order. Raising the
 * percentage only adds buckets, so installs move forward and are never reshuffled.
 */
export const BUCKET_COUNT = 10_000;

/** The salt used for marketplace source canaries. Changing it reshuffles the whole fleet. */
export const DEFAULT_BUCKET_SALT = 'marketplace_source';

/** FNV-1a 32-bit hash of a string's UTF-8 bytes, as an unsigned integer. */
export function fnv1a32(text: string): number {
  const bytes = new TextEncoder().encode(text);
  let hash = 0x811c9dc5;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The bucket 0..9999 of an install.
 *
 * @example
 * bucketOf('3f2a…-install-id'); // e.g. 4821
 */
export function bucketOf(installId: string, salt: string = DEFAULT_BUCKET_SALT): number {
  return fnv1a32(`${salt}:${installId}`) % BUCKET_COUNT;
}

/** True when an install in `bucket` is inside a canary of `percent` (0..100, fractions allowed). */
export function inCanary(bucket: number, percent: number): boolean {
  return bucket < Math.round(percent * 100);
}
