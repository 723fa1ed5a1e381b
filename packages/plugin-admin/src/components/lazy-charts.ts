import { lazy } from 'react';

// The chart library (recharts) is the heaviest dependency. Only these two modules import it, and
// they are reached only through the lazy components below: nothing the main chunk imports may
// import them directly, or the library moves into the main chunk.

/**
 * `FleetUsageChart`, loaded on first render. Render inside `<Suspense>`.
 *
 * @example
 * <Suspense fallback={null}><FleetUsageChart usage={usage} /></Suspense>
 */
export const FleetUsageChart = lazy(() =>
  import('./FleetUsageChart.tsx').then((m) => ({ default: m.FleetUsageChart })),
);

/**
 * `UsageStatsPanel` (this browser's resolver), loaded on first render. Render inside `<Suspense>`.
 *
 * @example
 * <Suspense fallback={null}><UsageStatsPanel getStats={getStats} /></Suspense>
 */
export const UsageStatsPanel = lazy(() =>
  import('./UsageStatsPanel.tsx').then((m) => ({ default: m.UsageStatsPanel })),
);
