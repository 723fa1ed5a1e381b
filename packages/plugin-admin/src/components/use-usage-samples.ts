import type { ResolverStats } from '@cartae/marketplace-resolver';
import { useEffect, useState } from 'react';
import { USAGE_SAMPLE_INTERVAL_MS, type UsageSample, withSample } from '../model/usage-samples.ts';

/**
 * Reads `getStats` now and every `intervalMs`: the latest counters and their series. Held by the
 * component that calls it, so a host that stays mounted (the admin panel) keeps the chart's series
 * across tab switches. With no `getStats`, does nothing.
 */
export function useUsageSamples(
  getStats: (() => ResolverStats | undefined) | undefined,
  intervalMs = USAGE_SAMPLE_INTERVAL_MS,
): { stats: ResolverStats | undefined; samples: readonly UsageSample[] } {
  const [state, setState] = useState<{ stats: ResolverStats | undefined; samples: readonly UsageSample[] }>(
    () => ({ stats: getStats?.(), samples: [] }),
  );
  useEffect(() => {
    if (!getStats) return;
    const sample = () => {
      const stats = getStats();
      setState((s) => ({ stats, samples: stats ? withSample(s.samples, stats, Date.now()) : s.samples }));
    };
    sample();
    const timer = setInterval(sample, intervalMs);
    return () => clearInterval(timer);
  }, [getStats, intervalMs]);
  return state;
}
