/** A token bucket: `tokens` left at `updatedAt`. */
export interface TokenBucket {
  readonly tokens: number;
  readonly updatedAt: number;
}

/** `capacity` tokens, refilled evenly over `periodMs`. */
export interface BucketPolicy {
  readonly capacity: number;
  readonly periodMs: number;
}

/** Reports per address: five a minute (an app sends one a minute; a few apps may share an address). */
export const REPORTS_PER_ADDRESS: BucketPolicy = { capacity: 5, periodMs: 60_000 };

/**
 * Takes a token from a bucket (a new bucket is full). Pure.
 *
 * @example
 * takeToken(undefined, now, REPORTS_PER_ADDRESS); // { allowed: true, bucket: { tokens: 4, updatedAt: now } }
 */
export function takeToken(
  bucket: TokenBucket | undefined,
  now: number,
  policy: BucketPolicy,
): { allowed: boolean; bucket: TokenBucket } {
  const elapsed = bucket === undefined ? 0 : Math.max(0, now - bucket.updatedAt);
  const available =
    bucket === undefined
      ? policy.capacity
      : Math.min(policy.capacity, bucket.tokens + (elapsed * policy.capacity) / policy.periodMs);
  if (available < 1) return { allowed: false, bucket: { tokens: available, updatedAt: now } };
  return { allowed: true, bucket: { tokens: available - 1, updatedAt: now } };
}

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Rate limits by client address within one isolate (each Cloudflare isolate counts on its own, so
 * the limit is per address per isolate: it stops floods, not a careful distributed sender). Keys
 * are a SHA-256 of the address with a random salt drawn per isolate, so no address is kept, even
 * in memory; the map is bounded (least recently used first out).
 */
export class AddressRateLimiter {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #policy: BucketPolicy;
  readonly #maxAddresses: number;
  #salt: string | undefined;

  constructor(policy: BucketPolicy = REPORTS_PER_ADDRESS, maxAddresses = 10_000) {
    this.#policy = policy;
    this.#maxAddresses = maxAddresses;
  }

  async #keyOf(address: string | null): Promise<string> {
    if (address === null) return 'no-address';
    // Drawn on first use: Workers refuse random numbers at module scope.
    this.#salt ??= hex(crypto.getRandomValues(new Uint8Array(16)));
    const digest = await crypto.subtle.digest(
      'SHA-256',
      new TextEncoder().encode(`${this.#salt}\n${address}`),
    );
    return hex(new Uint8Array(digest, 0, 8));
  }

  /** True when `address` may send one more report now (and counts it). Requests without an address share one bucket. */
  async allow(address: string | null, now: number): Promise<boolean> {
    const key = await this.#keyOf(address);
    const { allowed, bucket } = takeToken(this.#buckets.get(key), now, this.#policy);
    this.#buckets.delete(key);
    if (this.#buckets.size >= this.#maxAddresses) {
      const oldest = this.#buckets.keys().next();
      if (!oldest.done) this.#buckets.delete(oldest.value);
    }
    this.#buckets.set(key, bucket);
    return allowed;
  }
}
