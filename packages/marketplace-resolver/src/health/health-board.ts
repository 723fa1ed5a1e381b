import {
  type MarketplaceErrorCode,
  SOURCE_KINDS,
  type SourceHealthView,
  type SourceKind,
} from '@cartae/marketplace-core';
import type { ResolverEvent } from '../events.ts';
import type { EjectionPolicy } from './ejection-policy.ts';
import {
  HEALTHY,
  type RateLimitSnapshot,
  recordFailure,
  recordSuccess,
  type SourceHealthState,
  settle,
  toView,
} from './source-health.ts';

export interface SourceHealthReport {
  readonly source: SourceKind;
  readonly state: SourceHealthState;
  readonly rateLimit: RateLimitSnapshot | undefined;
  readonly lastError: string | undefined;
  readonly lastCheckedAt: number | undefined;
}

/**
 * Passive health of every source, fed by real requests (SPEC 4.4). Emits ejection and
 * re-admission events, and bumps `generation` on every change so cached decisions can tell
 * they are out of date.
 */
export class HealthBoard {
  private readonly states = new Map<SourceKind, SourceHealthState>();
  private readonly rateLimits = new Map<SourceKind, RateLimitSnapshot>();
  private readonly lastErrors = new Map<SourceKind, string>();
  private readonly lastChecked = new Map<SourceKind, number>();
  generation = 0;

  constructor(
    private readonly policy: EjectionPolicy,
    private readonly emit: (event: ResolverEvent) => void,
    private readonly onEjected: (
      source: SourceKind,
      until: number,
      reason: MarketplaceErrorCode,
      now: number,
    ) => void,
  ) {}

  state(source: SourceKind, now: number): SourceHealthState {
    const raw = this.states.get(source) ?? HEALTHY;
    const settled = settle(raw, now);
    if (settled !== raw) this.states.set(source, settled);
    return settled;
  }

  views(now: number): Partial<Record<SourceKind, SourceHealthView>> {
    const views: Partial<Record<SourceKind, SourceHealthView>> = {};
    for (const source of SOURCE_KINDS)
      views[source] = toView(this.state(source, now), this.rateLimits.get(source));
    return views;
  }

  /** Earliest future time at which a view changes by itself (an ejection or quota running out). */
  nextChangeAt(now: number): number {
    let next = Number.POSITIVE_INFINITY;
    for (const source of SOURCE_KINDS) {
      const s = this.state(source, now);
      if (s.status === 'ejected') next = Math.min(next, s.until);
      const reset = this.rateLimits.get(source)?.resetAt;
      if (reset !== undefined && reset > now) next = Math.min(next, reset);
    }
    return next;
  }

  /** Records the quota a response reported; a response that reports none clears the old figure. */
  noteRateLimit(source: SourceKind, snapshot: RateLimitSnapshot): void {
    const previous = this.rateLimits.get(source);
    if (snapshot.remaining === undefined && snapshot.resetAt === undefined) {
      if (previous !== undefined) {
        this.rateLimits.delete(source);
        this.generation++;
      }
      return;
    }
    if (previous?.remaining === snapshot.remaining && previous?.resetAt === snapshot.resetAt) return;
    this.rateLimits.set(source, snapshot);
    this.generation++;
  }

  succeeded(source: SourceKind, now: number): void {
    this.lastChecked.set(source, now);
    const before = this.state(source, now);
    if (before.status === 'admitted' && before.consecutiveFailures === 0 && before.ejections === 0) return;
    this.states.set(source, recordSuccess(before));
    this.generation++;
    if (before.status === 'ejected' || before.ejections > 0) this.emit({ type: 'source-readmitted', source });
  }

  failed(
    source: SourceKind,
    failure: { reason: MarketplaceErrorCode; message: string; now: number; retryAt?: number },
  ): void {
    this.lastChecked.set(source, failure.now);
    this.lastErrors.set(source, failure.message);
    const before = this.state(source, failure.now);
    const after = recordFailure(before, failure, this.policy);
    this.states.set(source, after);
    this.generation++;
    if (after.status === 'ejected' && (before.status !== 'ejected' || after.until !== before.until)) {
      this.emit({ type: 'source-ejected', source, until: after.until, reason: failure.reason });
      this.onEjected(source, after.until, after.reason, failure.now);
    }
  }

  report(now: number): SourceHealthReport[] {
    return SOURCE_KINDS.map((source) => ({
      source,
      state: this.state(source, now),
      rateLimit: this.rateLimits.get(source),
      lastError: this.lastErrors.get(source),
      lastCheckedAt: this.lastChecked.get(source),
    }));
  }
}
