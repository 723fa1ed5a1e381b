/** Delay before each delivery attempt: at once, then 2 s and 8 s later (all within one invocation). */
export const ALERT_RETRY_DELAYS_MS: readonly number[] = [0, 2_000, 8_000];

/** Statuses worth another try: the receiver is busy or failing, and may take the alert later. */
const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/** What an attempt's answer means: done, try again, or stop (a retry would be refused again). */
export type AlertVerdict = 'delivered' | 'retry' | 'give-up';

/**
 * Judges one delivery attempt from its HTTP status (`undefined`: no answer — unreachable or timed
 * out). 2xx delivers; 429, 408 and 5xx are retried; any other status (4xx, a redirect, which is
 * never followed) gives up. Pure.
 *
 * @example
 * alertVerdict(500); // 'retry'
 * alertVerdict(400); // 'give-up'
 */
export function alertVerdict(status: number | undefined): AlertVerdict {
  if (status === undefined) return 'retry';
  if (status >= 200 && status < 300) return 'delivered';
  return RETRY_STATUSES.has(status) || status >= 500 ? 'retry' : 'give-up';
}
