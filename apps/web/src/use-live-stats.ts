import type { MarketplaceSourceResolver, ResolverStats } from '@cartae/marketplace-resolver';
import { useEffect, useState } from 'react';

/** Whether two readings of the resolver's counters say the same (they are plain data). */
export function sameStats(a: ResolverStats, b: ResolverStats): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The resolver's counters, re-read every `intervalMs` (no network: `getStats()` is local). A
 * reading that says what the last one said keeps the last object, so an idle page re-renders
 * nothing each second.
 */
export function useLiveStats(resolver: MarketplaceSourceResolver, intervalMs = 1000): ResolverStats {
  const [stats, setStats] = useState(() => resolver.getStats());
  useEffect(() => {
    const read = () => {
      const next = resolver.getStats();
      setStats((last) => (sameStats(last, next) ? last : next));
    };
    read();
    const timer = setInterval(read, intervalMs);
    return () => clearInterval(timer);
  }, [resolver, intervalMs]);
  return stats;
}
