/**
 * How long past its `expires` a registry is still used: clocks on installed machines drift, and a
 * registry that expired a moment ago by this machine's clock may not have by the publisher's.
 */
export const REGISTRY_EXPIRY_GRACE_MS = 300_000;

/**
 * Whether a registry whose `expires` is the given ISO time may still be used at `now` (epoch ms),
 * grace included. The one expiry rule: a source's answer, a 304 for the copy held, and the last
 * good copy served stale are all judged by it.
 *
 * @example
 * withinExpiry('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:04:00Z')); // true (grace)
 */
export function withinExpiry(expires: string, now: number, graceMs = REGISTRY_EXPIRY_GRACE_MS): boolean {
  return Date.parse(expires) + graceMs >= now;
}
