/** The longest the page waits between two registry reads while no source answers. */
export const MAX_READ_DELAY_MS = 60_000;
/** While no source answers, reads slow down to at most this many times `refreshMs`. */
export const MAX_BACKOFF_FACTOR = 8;

/**
 * When to read the registry next. Every `refreshMs` while sources answer; while they don't
 * (nothing served, or only a saved copy), twice as long after each failed read, up to 8 times
 * `refreshMs` and a minute, so a fleet in an outage does not hammer sources that are already
 * struggling. (A config change or a re-admitted source still triggers a read at once.)
 * `0` turns periodic reads off. Pure.
 *
 * @example
 * nextReadDelay(5000, 0); // 5000
 * nextReadDelay(5000, 1); // 10000
 * nextReadDelay(5000, 9); // 40000
 */
export function nextReadDelay(refreshMs: number, consecutiveFailures: number): number | undefined {
  if (refreshMs <= 0) return undefined;
  const factor = Math.min(2 ** Math.max(consecutiveFailures, 0), MAX_BACKOFF_FACTOR);
  return Math.min(refreshMs * factor, Math.max(refreshMs, MAX_READ_DELAY_MS));
}
