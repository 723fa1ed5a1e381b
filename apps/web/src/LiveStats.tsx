import type { MarketplaceSourceResolver } from '@cartae/marketplace-resolver';
import { memo } from 'react';
import { Fact } from './Fact.tsx';
import { type ReadSpan, type ReadTiming, readTiming } from './read-timing.ts';
import { StatsStrip } from './StatsStrip.tsx';
import { useLiveStats } from './use-live-stats.ts';

const ms = (value: number | undefined) => (value === undefined ? '—' : `${Math.round(value)} ms`);

/** The span's times from the browser's Resource Timing entries, read as the strip is drawn. */
function timingOf(read: ReadSpan | undefined): ReadTiming | undefined {
  if (read === undefined || typeof performance.getEntriesByType !== 'function') return undefined;
  return readTiming(read, performance.getEntriesByType('resource') as PerformanceResourceTiming[]);
}

/**
 * The live statistics, subscribed on their own: their tick every second re-renders this strip
 * only, never the page or its list. The latest read's time is shown split in two, network (the
 * download, from the browser's Resource Timing) and processing (parsing, checks and storage
 * after the last byte), since the resolver's average counts both.
 */
export const LiveStats = memo(function LiveStats(props: {
  resolver: MarketplaceSourceResolver;
  read: ReadSpan | undefined;
}) {
  const stats = useLiveStats(props.resolver);
  // Derived at each tick: the browser may add the download's entry a task after the answer.
  const timing = timingOf(props.read);
  return (
    <StatsStrip stats={stats}>
      <Fact term="Last read: network">
        {timing === undefined ? '—' : timing.networkMs === undefined ? 'none' : ms(timing.networkMs)}
      </Fact>
      <Fact term="Last read: processing">{ms(timing?.processingMs)}</Fact>
    </StatsStrip>
  );
});
