import {
  LATENCY_BUCKET_COUNT,
  latencyBucket,
  type RateLimitInfo,
  type SourceKind,
  type SourceUsage,
  USAGE_REPORT_LIMITS,
} from '@cartae/marketplace-core';

/** What the one judgement of an answer says, as telemetry counts it (a final `Judgement['stats']`). */
export interface CountedAttempt {
  readonly ok: boolean;
  readonly rateLimited: boolean;
  readonly timeout: boolean;
  readonly notModified: boolean;
  /** A body-stage refusal: the status was fine, the body was not. */
  readonly refused: boolean;
}

/** Start of the minute `now` falls in, epoch ms. */
export function minuteOf(now: number): number {
  return now - (((now % 60_000) + 60_000) % 60_000);
}

/** The contract's bound on a quota figure; a source sending more is clamped to it. */
const MAX_QUOTA = 1_000_000_000;

interface Tally {
  requests: number;
  successes: number;
  notModified: number;
  errors: number;
  rateLimited: number;
  timeouts: number;
  refused: number;
  fallbacks: number;
  readonly latency: number[];
  quota: { remaining: number; limit?: number; resetAt?: number } | undefined;
}

const emptyTally = (): Tally => ({
  requests: 0,
  successes: 0,
  notModified: 0,
  errors: 0,
  rateLimited: 0,
  timeouts: 0,
  refused: 0,
  fallbacks: 0,
  latency: new Array<number>(LATENCY_BUCKET_COUNT).fill(0),
  quota: undefined,
});

/**
 * One install's usage during one minute, per source: the counters of a `UsageReport`. Every count
 * stays within the contract (`parseUsageReport` accepts what this holds): a source that reaches
 * `USAGE_REPORT_LIMITS.maxCount` requests in the minute stops counting for the rest of it, so its
 * counters stay consistent with each other instead of being clamped one by one.
 */
export class MinuteUsage {
  /** The config version in use at the last event of the minute; null for none (the built-in default). */
  configVersion: number | null = null;
  staleServes = 0;
  private readonly tallies: Partial<Record<SourceKind, Tally>> = {};

  /** @param minute start of the minute, epoch ms (a multiple of 60,000) */
  constructor(readonly minute: number) {}

  /** Nothing happened: no report is worth sending. */
  get empty(): boolean {
    return this.staleServes === 0 && Object.keys(this.tallies).length === 0;
  }

  attempt(source: SourceKind, counted: CountedAttempt, ms: number): void {
    const t = this.tally(source);
    if (t.requests >= USAGE_REPORT_LIMITS.maxCount) return;
    t.requests++;
    if (counted.ok) {
      t.successes++;
      if (counted.notModified) t.notModified++;
    } else {
      t.errors++;
      // One judgement gives at most one of these, so their sum never exceeds the errors.
      if (counted.rateLimited) t.rateLimited++;
      else if (counted.timeout) t.timeouts++;
      else if (counted.refused) t.refused++;
    }
    (t.latency[latencyBucket(ms)] as number)++;
  }

  /** `source` answered after the first source failed. Never more than its successes. */
  fallback(source: SourceKind): void {
    const t = this.tallies[source];
    if (t !== undefined && t.fallbacks < t.successes) t.fallbacks++;
  }

  /** Keeps the lowest `x-ratelimit-remaining` seen, with the limit and reset sent beside it. */
  quota(source: SourceKind, rateLimit: RateLimitInfo): void {
    if (rateLimit.remaining === undefined) return;
    const t = this.tally(source);
    const remaining = Math.min(rateLimit.remaining, MAX_QUOTA);
    if (t.quota !== undefined && t.quota.remaining < remaining) return;
    const { limit, resetAt } = rateLimit;
    t.quota = {
      remaining,
      ...(limit === undefined ? {} : { limit: Math.min(limit, MAX_QUOTA) }),
      // x-ratelimit-reset is read as up to 15 digits of seconds: beyond a safe integer it says nothing.
      ...(resetAt !== undefined && Number.isSafeInteger(resetAt) ? { resetAt } : {}),
    };
  }

  staleServe(): void {
    if (this.staleServes < USAGE_REPORT_LIMITS.maxCount) this.staleServes++;
  }

  /** The per-source part of the report. */
  sources(): Partial<Record<SourceKind, SourceUsage>> {
    const out: Partial<Record<SourceKind, SourceUsage>> = {};
    for (const [source, t] of Object.entries(this.tallies) as [SourceKind, Tally][]) {
      const { quota, latency, ...counts } = t;
      out[source] = {
        ...counts,
        latency: [...latency],
        ...(quota === undefined ? {} : { quota: { ...quota } }),
      };
    }
    return out;
  }

  private tally(source: SourceKind): Tally {
    let t = this.tallies[source];
    if (t === undefined) {
      t = emptyTally();
      this.tallies[source] = t;
    }
    return t;
  }
}
