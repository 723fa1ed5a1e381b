/**
 * A fixed-window request quota, like GitHub's unauthenticated limit (60 per hour per client).
 * Pure: the caller passes the time.
 */
export class RateLimitWindow {
  private windowStart = 0;
  private used = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts one request; returns the quota state after it. */
  take(now: number): { allowed: boolean; remaining: number; resetAt: number } {
    if (now >= this.windowStart + this.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }
    const allowed = this.used < this.limit;
    if (allowed) this.used++;
    return { allowed, remaining: this.limit - this.used, resetAt: this.windowStart + this.windowMs };
  }
}

/** Parses `60/min`, `5000/hour`, `10/s` into a window. */
export function parseRateLimitSpec(spec: string): RateLimitWindow {
  const match = /^(\d+)\/(s|sec|second|m|min|minute|h|hour)$/.exec(spec.trim());
  if (!match) throw new Error(`invalid rate limit "${spec}": use N/s, N/min or N/hour, e.g. 60/min`);
  const unit = match[2] as string;
  const ms = unit.startsWith('s') ? 1000 : unit.startsWith('m') ? 60_000 : 3_600_000;
  return new RateLimitWindow(Number(match[1]), ms);
}
