import type { MarketplaceErrorCode, SourceHealthView, SourceKind } from '@cartae/marketplace-core';
import type { EjectionPolicy, RateLimitSnapshot, SourceHealthState } from '@cartae/marketplace-resolver';
import { HEALTHY, recordFailure, recordSuccess, settle, toView } from './resolver-decisions.ts';

/**
 * One app's passive health of its sources: the resolver's `HealthBoard` bookkeeping (settle on
 * read, rate-limit snapshots, eject/re-admit) around its real pure functions, minus events.
 */
export class InstallHealth {
  private cloudflare: SourceHealthState = HEALTHY;
  private git: SourceHealthState = HEALTHY;
  private cloudflareQuota: RateLimitSnapshot | undefined;
  private gitQuota: RateLimitSnapshot | undefined;

  /** A new app process: health is kept in memory only. */
  reset(): void {
    this.cloudflare = HEALTHY;
    this.git = HEALTHY;
    this.cloudflareQuota = undefined;
    this.gitQuota = undefined;
  }

  state(source: SourceKind, now: number): SourceHealthState {
    const raw = source === 'git' ? this.git : this.cloudflare;
    const settled = settle(raw, now);
    if (settled !== raw) this.set(source, settled);
    return settled;
  }

  views(now: number): Partial<Record<SourceKind, SourceHealthView>> {
    return {
      cloudflare: toView(this.state('cloudflare', now), this.cloudflareQuota),
      git: toView(this.state('git', now), this.gitQuota),
    };
  }

  /** Records the quota a response reported; one that reports none clears the old figure. */
  noteRateLimit(source: SourceKind, snapshot: RateLimitSnapshot): void {
    const kept = snapshot.remaining === undefined && snapshot.resetAt === undefined ? undefined : snapshot;
    if (source === 'git') this.gitQuota = kept;
    else this.cloudflareQuota = kept;
  }

  succeeded(source: SourceKind, now: number): void {
    const before = this.state(source, now);
    if (before.status === 'admitted' && before.consecutiveFailures === 0 && before.ejections === 0) return;
    this.set(source, recordSuccess(before));
  }

  /** Returns the new ejection's end when this failure ejected the source (or moved its end). */
  failed(
    source: SourceKind,
    failure: { reason: MarketplaceErrorCode; now: number; retryAt?: number },
    policy: EjectionPolicy,
  ): number | undefined {
    const before = this.state(source, failure.now);
    const after = recordFailure(before, failure, policy);
    this.set(source, after);
    if (after.status === 'ejected' && (before.status !== 'ejected' || after.until !== before.until)) {
      return after.until;
    }
    return undefined;
  }

  private set(source: SourceKind, state: SourceHealthState): void {
    if (source === 'git') this.git = state;
    else this.cloudflare = state;
  }
}
