import type { SourceKind } from '@cartae/marketplace-core';
import { LatencyWindow } from './latency-window.ts';

export interface SourceStats {
  /** HTTP requests sent to this source (attempts, probes included). */
  readonly requests: number;
  readonly successes: number;
  /** Failed attempts of any kind (rate limits and timeouts included). */
  readonly errors: number;
  readonly rateLimited: number;
  readonly timeouts: number;
  readonly notModified: number;
  readonly p50Ms: number | undefined;
  readonly p95Ms: number | undefined;
  readonly lastStatus: number | undefined;
}

/** The user's fields (`totalRequests, gitRequests, cloudflareRequests, fallbacks, errors`) plus detail. */
export interface ResolverStats {
  /** Marketplace requests made through the resolver (`fetch` and `getRegistry` calls that went to the network). */
  readonly totalRequests: number;
  readonly gitRequests: number;
  readonly cloudflareRequests: number;
  /** Requests answered by a source other than the first one tried. */
  readonly fallbacks: number;
  /** Requests that no source could answer. */
  readonly errors: number;
  /** Requests served from the last good copy because every source failed. */
  readonly staleServed: number;
  /** Mean duration of a request through the resolver, fallbacks included. */
  readonly avgResponseTimeMs: number;
  /**
   * Good registries the storage refused to keep (full, blocked, unavailable): each one is in use
   * but will not survive a reload, and was also announced as a `registry-not-saved` event.
   * Always set by `getStats()`; optional so stats recorded by older SDKs still read as stats.
   */
  readonly registryNotSaved?: number;
  readonly perSource: Record<SourceKind, SourceStats>;
}

interface MutableSourceStats {
  requests: number;
  successes: number;
  errors: number;
  rateLimited: number;
  timeouts: number;
  notModified: number;
  lastStatus: number | undefined;
  latency: LatencyWindow;
}

const emptySource = (): MutableSourceStats => ({
  requests: 0,
  successes: 0,
  errors: 0,
  rateLimited: 0,
  timeouts: 0,
  notModified: 0,
  lastStatus: undefined,
  latency: new LatencyWindow(),
});

/** Counts what the resolver does; `snapshot()` is what `getStats()` returns. */
export class StatsCollector {
  private total = 0;
  private fallbacks = 0;
  private errors = 0;
  private stale = 0;
  private notSaved = 0;
  private durationSum = 0;
  private readonly sources: Record<SourceKind, MutableSourceStats> = {
    git: emptySource(),
    cloudflare: emptySource(),
  };

  recordAttempt(
    kind: SourceKind,
    outcome: {
      ok: boolean;
      status?: number;
      ms: number;
      rateLimited?: boolean;
      timeout?: boolean;
      notModified?: boolean;
    },
  ): void {
    const s = this.sources[kind];
    s.requests++;
    if (outcome.ok) s.successes++;
    else s.errors++;
    if (outcome.rateLimited) s.rateLimited++;
    if (outcome.timeout) s.timeouts++;
    if (outcome.notModified) s.notModified++;
    if (outcome.status !== undefined) s.lastStatus = outcome.status;
    s.latency.add(outcome.ms);
  }

  recordRequest(outcome: { ms: number; fallback: boolean; failed: boolean; stale?: boolean }): void {
    this.total++;
    this.durationSum += outcome.ms;
    if (outcome.fallback) this.fallbacks++;
    if (outcome.failed) this.errors++;
    if (outcome.stale) this.stale++;
  }

  /** A good registry the storage refused to keep. */
  recordNotSaved(): void {
    this.notSaved++;
  }

  snapshot(): ResolverStats {
    const view = (s: MutableSourceStats): SourceStats => ({
      requests: s.requests,
      successes: s.successes,
      errors: s.errors,
      rateLimited: s.rateLimited,
      timeouts: s.timeouts,
      notModified: s.notModified,
      p50Ms: s.latency.percentile(50),
      p95Ms: s.latency.percentile(95),
      lastStatus: s.lastStatus,
    });
    return {
      totalRequests: this.total,
      gitRequests: this.sources.git.requests,
      cloudflareRequests: this.sources.cloudflare.requests,
      fallbacks: this.fallbacks,
      errors: this.errors,
      staleServed: this.stale,
      avgResponseTimeMs: this.total === 0 ? 0 : Math.round((this.durationSum / this.total) * 100) / 100,
      registryNotSaved: this.notSaved,
      perSource: { git: view(this.sources.git), cloudflare: view(this.sources.cloudflare) },
    };
  }
}
