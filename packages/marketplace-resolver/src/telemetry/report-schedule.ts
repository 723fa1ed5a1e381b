import { USAGE_REPORT_LIMITS } from '@cartae/marketplace-core';
import { minuteOf } from './minute-usage.ts';

export interface ReportDue {
  /** The closed minute to send now, or undefined. */
  readonly send: number | undefined;
  /** Closed minutes too old for the edge to accept: drop them. */
  readonly expired: readonly number[];
}

/**
 * Which closed minute a poll at `now` carries. At most one report per wall-clock minute (none if
 * one was already handed out this minute); the newest closed minute first, so the edge and its
 * automation see the latest minute promptly; older ones ride on later minutes that have nothing
 * newer to send. Minutes older than the edge accepts (`USAGE_REPORT_LIMITS.maxSkewMs`) expire.
 * Pure.
 *
 * @example
 * reportDue([60_000, 120_000], undefined, 185_000); // { send: 120_000, expired: [] }
 */
export function reportDue(closed: readonly number[], lastSentAt: number | undefined, now: number): ReportDue {
  const expired = closed.filter((minute) => now - minute > USAGE_REPORT_LIMITS.maxSkewMs);
  const current = minuteOf(now);
  if (lastSentAt !== undefined && minuteOf(lastSentAt) >= current) return { send: undefined, expired };
  let send: number | undefined;
  for (const minute of closed) {
    if (minute < current && !expired.includes(minute) && (send === undefined || minute > send)) send = minute;
  }
  return { send, expired };
}
