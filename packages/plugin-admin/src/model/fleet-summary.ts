import { type Convergence, convergence } from './fleet-convergence.ts';
import { type SourceFigures, sourceFigures } from './fleet-figures.ts';
import type { FleetUsage } from './fleet-usage.ts';

/** Everything the fleet views derive from one answer: per-source figures, installs, convergence. */
export interface FleetSummary {
  readonly empty: boolean;
  readonly sources: readonly SourceFigures[];
  readonly activeInstalls: number;
  readonly staleServes: number;
  readonly convergence: Convergence;
}

/**
 * The fleet's figures, for the admin panel and the CLI alike. `currentVersion` is the config
 * version the control plane holds now (undefined when it could not be read).
 *
 * @example
 * summarizeFleet(usage, 14).convergence.share; // 0.87
 */
export function summarizeFleet(usage: FleetUsage, currentVersion: number | undefined): FleetSummary {
  const sources = sourceFigures(usage);
  return {
    empty: sources.length === 0 && usage.series.length === 0,
    sources,
    activeInstalls: usage.activeInstalls,
    staleServes: usage.staleServes,
    convergence: convergence(usage.versions, currentVersion),
  };
}
