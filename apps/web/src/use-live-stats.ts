import type { MarketplaceSourceResolver, ResolverStats } from '@cartae/marketplace-resolver';
import { useEffect, useState } from 'react';

/** The resolver's counters, re-read every `intervalMs` (no network: `getStats()` is local). */
export function useLiveStats(resolver: MarketplaceSourceResolver, intervalMs = 1000): ResolverStats {
  const [stats, setStats] = useState(() => resolver.getStats());
  useEffect(() => {
    setStats(resolver.getStats());
    const timer = setInterval(() => setStats(resolver.getStats()), intervalMs);
    return () => clearInterval(timer);
  }, [resolver, intervalMs]);
  return stats;
}
