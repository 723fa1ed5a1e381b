import type { ResolverStats } from '@cartae/marketplace-resolver';

/** How often the panel reads this browser's resolver counters. */
export const USAGE_SAMPLE_INTERVAL_MS = 5_000;
/** Ten minutes at the default interval. */
export const MAX_USAGE_SAMPLES = 120;

/** This browser's resolver counters at one moment (cumulative since the page loaded). */
export interface UsageSample {
  readonly at: number;
  /** Reads through the resolver (`getRegistry`, `fetch`) that went to the network. */
  readonly requests: number;
  /** HTTP attempts per source: fallbacks and health checks included, so not a share of `requests`. */
  readonly git: number;
  readonly cloudflare: number;
  readonly stale: number;
  readonly errors: number;
}

/**
 * Appends the counters read at `at`, keeping the newest {@link MAX_USAGE_SAMPLES}. Pure.
 *
 * @example
 * samples = withSample(samples, resolver.getStats(), Date.now());
 */
export function withSample(
  samples: readonly UsageSample[],
  stats: ResolverStats,
  at: number,
): readonly UsageSample[] {
  const next: UsageSample = {
    at,
    requests: stats.totalRequests,
    git: stats.perSource.git.requests,
    cloudflare: stats.perSource.cloudflare.requests,
    stale: stats.staleServed,
    errors: stats.errors,
  };
  return [...samples, next].slice(-MAX_USAGE_SAMPLES);
}
