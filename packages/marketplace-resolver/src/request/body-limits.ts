/**
 * The rule every attempt is timed by (README, "Timeouts"):
 *
 * 1. **First byte.** The response's headers must arrive within `requestTimeoutMs` of the request
 *    being sent. A source that accepts the connection and never answers is cut then, as before.
 * 2. **Stalls.** While the body is read, the attempt is cut once no bytes have arrived for
 *    `stallTimeoutMs`. A body still arriving is never cut for being slow: a 3.67 MB registry at
 *    400 kbps takes ~75 s (~18 s gzipped) and must reach a first-time user.
 * 3. **Ceiling.** The whole attempt, body included, ends after `downloadTimeoutMs` (default five
 *    minutes, four times the real registry's download at 400 kbps uncompressed), so a source that
 *    trickles a byte just often enough is still bounded.
 *
 * The stall and ceiling checks start when the first-byte limit runs out: a body that arrives
 * within `requestTimeoutMs` is timed exactly as before and costs no extra timer.
 */
export interface BodyLimits {
  /** Longest silence while a body is read, ms. */
  readonly stallMs: number;
  /** Longest attempt, from its start to the end of its body, ms. */
  readonly downloadMs: number;
}

/** How long an attempt may take in all by default: five minutes (see {@link BodyLimits}). */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 300_000;

/** Times of one attempt whose body is being read, epoch ms. */
export interface BodyTimes {
  readonly startedAt: number;
  /** When the last bytes arrived (the headers, before any). */
  readonly lastByteAt: number;
}

export type BodyVerdict =
  | { readonly kind: 'cut'; readonly reason: 'stalled' | 'too-long'; readonly message: string }
  | { readonly kind: 'wait'; readonly until: number };

/**
 * Whether a body being read at `now` has broken the rule, or until when it may go on. Pure.
 *
 * @example
 * bodyVerdict({ startedAt: 0, lastByteAt: 9_500 }, { stallMs: 8000, downloadMs: 300_000 }, 10_000);
 * // { kind: 'wait', until: 17_500 }
 */
export function bodyVerdict(times: BodyTimes, limits: BodyLimits, now: number): BodyVerdict {
  const ceiling = times.startedAt + limits.downloadMs;
  if (now >= ceiling)
    return {
      kind: 'cut',
      reason: 'too-long',
      message: `the download did not finish within ${limits.downloadMs} ms`,
    };
  const stallAt = times.lastByteAt + limits.stallMs;
  if (now >= stallAt)
    return {
      kind: 'cut',
      reason: 'stalled',
      message: `the body stalled: no bytes for ${limits.stallMs} ms`,
    };
  return { kind: 'wait', until: Math.min(ceiling, stallAt) };
}
