import type { ResolverStats } from '@cartae/marketplace-resolver';
import { describe, expect, it } from 'vitest';
import { MAX_USAGE_SAMPLES, withSample } from './usage-samples.ts';

const source = (requests: number) => ({
  requests,
  successes: requests,
  errors: 0,
  rateLimited: 0,
  timeouts: 0,
  notModified: 0,
  p50Ms: undefined,
  p95Ms: undefined,
  lastStatus: undefined,
});
const stats = (over: Partial<ResolverStats> = {}): ResolverStats => ({
  totalRequests: 0,
  gitRequests: 1,
  cloudflareRequests: 1,
  fallbacks: 0,
  errors: 0,
  staleServed: 0,
  avgResponseTimeMs: 0,
  perSource: { git: source(1), cloudflare: source(1) },
  ...over,
});

describe('withSample', () => {
  it('keeps requests and per-source attempts apart (health checks are attempts with no request)', () => {
    const [sample] = withSample([], stats({ staleServed: 2, errors: 1 }), 1000);
    expect(sample).toEqual({ at: 1000, requests: 0, git: 1, cloudflare: 1, stale: 2, errors: 1 });
  });

  it('keeps the newest samples only', () => {
    let samples = withSample([], stats(), 0);
    for (let i = 1; i <= MAX_USAGE_SAMPLES + 5; i++) samples = withSample(samples, stats(), i);
    expect(samples).toHaveLength(MAX_USAGE_SAMPLES);
    expect(samples.at(-1)?.at).toBe(MAX_USAGE_SAMPLES + 5);
  });
});
