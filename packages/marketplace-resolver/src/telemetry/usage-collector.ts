import type { RateLimitInfo, SourceKind } from '@cartae/marketplace-core';
import { type CountedAttempt, MinuteUsage, minuteOf } from './minute-usage.ts';

/** Closed minutes kept while they wait to be sent; past this the oldest is dropped (and counted). */
export const MAX_CLOSED_MINUTES = 3;

/** Reported config versions are whole numbers ≥ 1; anything else (none, the built-in default) is null. */
function reportedVersion(version: number | undefined): number | null {
  return version !== undefined && Number.isSafeInteger(version) && version >= 1 ? version : null;
}

/**
 * Counts, per source and per minute, what the judgement of each answer decided (fed only by
 * `recordJudgement`/`recordRateLimit`, plus the fallback and stale-serve points). Holds the
 * current minute and at most {@link MAX_CLOSED_MINUTES} closed ones waiting to be sent. No clock
 * of its own: every call says when.
 *
 * @example
 * const usage = new UsageCollector(() => config.get().version);
 * usage.attempt('git', judged.stats, 120, now);
 * usage.closedMinutes(now); // the minutes before `now`'s, oldest first
 */
export class UsageCollector {
  private current: MinuteUsage | undefined;
  private readonly closed: MinuteUsage[] = [];
  private stopped = false;
  /** Closed minutes dropped unsent: past the bound, too old to be accepted, or refused by the endpoint. */
  dropped = 0;

  /** @param configVersion the config version in use, read at each event */
  constructor(private readonly configVersion: () => number | undefined) {}

  attempt(source: SourceKind, counted: CountedAttempt, ms: number, now: number): void {
    this.minute(now)?.attempt(source, counted, ms);
  }

  rateLimit(source: SourceKind, rateLimit: RateLimitInfo, now: number): void {
    if (rateLimit.remaining === undefined) return;
    this.minute(now)?.quota(source, rateLimit);
  }

  fallback(source: SourceKind, now: number): void {
    this.minute(now)?.fallback(source);
  }

  staleServe(now: number): void {
    this.minute(now)?.staleServe();
  }

  /** The closed minutes waiting to be sent, oldest first (closing the current one if `now` is past it). */
  closedMinutes(now: number): readonly MinuteUsage[] {
    if (this.current !== undefined && this.current.minute < minuteOf(now)) this.close();
    return this.closed;
  }

  /** Forgets a closed minute: it was sent. */
  remove(minute: number): void {
    const index = this.closed.findIndex((m) => m.minute === minute);
    if (index >= 0) this.closed.splice(index, 1);
  }

  /** Forgets a closed minute that will never be sent (too old to be accepted). */
  discard(minute: number): void {
    const before = this.closed.length;
    this.remove(minute);
    this.dropped += before - this.closed.length;
  }

  /** Stops counting for good and forgets what is held (the endpoint takes no reports, or no hashing). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.dropped += this.closed.length + (this.current !== undefined && !this.current.empty ? 1 : 0);
    this.closed.length = 0;
    this.current = undefined;
  }

  get active(): boolean {
    return !this.stopped;
  }

  /** The minute `now` falls in; a clock that stepped back keeps counting into the current one. */
  private minute(now: number): MinuteUsage | undefined {
    if (this.stopped) return undefined;
    const start = minuteOf(now);
    let current = this.current;
    if (current === undefined || current.minute < start) {
      if (current !== undefined) this.close();
      current = new MinuteUsage(start);
      this.current = current;
    }
    current.configVersion = reportedVersion(this.configVersion());
    return current;
  }

  private close(): void {
    const done = this.current;
    this.current = undefined;
    if (done === undefined || done.empty) return;
    this.closed.push(done);
    if (this.closed.length > MAX_CLOSED_MINUTES) {
      this.closed.shift();
      this.dropped++;
    }
  }
}
