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
  /** The URL each source's health was learnt on: what a config change is compared with. */
  private readonly urls = new Map<SourceKind, string | undefined>();
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

  /**
   * Follows the config's URLs: a source whose URL changed is a new server, so what was learnt
   * about the old one (ejection, failures, quota, last error) is forgotten and it is tried again.
   * Without this, an admin who moves the fleet off a failing CDN to a working one (or a rollback
   * that does) would see apps keep away from the working one until the old ejection ran out.
   */
  followUrls(urls: Readonly<Partial<Record<SourceKind, string | undefined>>>): void {
    for (const source of SOURCE_KINDS) {
      const url = urls[source];
      const known = this.urls.has(source);
      const previous = this.urls.get(source);
      this.urls.set(source, url);
      if (!known || previous === url) continue;
      const state = this.states.get(source);
      const learnt = state !== undefined || this.rateLimits.has(source) || this.lastErrors.has(source);
      this.states.delete(source);
      this.rateLimits.delete(source);
      this.lastErrors.delete(source);
      if (!learnt) continue;
      this.generation++;
      if (state?.status === 'ejected') this.emit({ type: 'source-readmitted', source });
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
