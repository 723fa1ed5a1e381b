/** Pure timing rules for the config cache (SPEC 4.1). */

export interface CachedConfigTiming {
  /** When the config was obtained (or confirmed unchanged), epoch ms. */
  readonly fetchedAt: number;
  readonly ttlSeconds: number;
}

/** Fresh: younger than its TTL. Stale configs are still served while a refresh runs. */
export function isFresh(entry: CachedConfigTiming, now: number): boolean {
  return now - entry.fetchedAt < entry.ttlSeconds * 1000;
}

/**
 * Delay before the next background refresh: the TTL minus up to `jitter` of it, so a fleet that
 * started together does not poll in lock-step.
 */
export function nextRefreshDelay(ttlSeconds: number, random: number, jitter = 0.2): number {
  const ttlMs = ttlSeconds * 1000;
  return Math.max(1000, Math.round(ttlMs * (1 - jitter * random)));
}

/** Backoff after a failed refresh: 5 s doubling to the TTL, with full jitter below the cap. */
export function failedRefreshDelay(consecutiveFailures: number, ttlSeconds: number, random: number): number {
  const cap = Math.max(5_000, ttlSeconds * 1000);
  const base = Math.min(cap, 5_000 * 2 ** Math.max(0, consecutiveFailures - 1));
  return Math.round(base / 2 + (base / 2) * random);
}
