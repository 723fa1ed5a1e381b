import type { ResolvedSimulationOptions } from './simulation-options.ts';
import type { StrategySpec } from './strategy-spec.ts';

/** How fast apps that were running when the admin switched adopted the new config. */
export interface PropagationReport {
  /** Apps open at the moment of the switch. */
  readonly runningAtSwitch: number;
  /** Of those, apps that adopted the new config before closing. */
  readonly adopted: number;
  /** Apps closed before adopting it (they adopt on their next start); not in the percentiles. */
  readonly closedBeforeAdopting: number;
  readonly p50Ms: number | null;
  readonly p90Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
}

/** Requests per simulated hour, with their mean and busiest hour. */
export interface HourlySeries {
  readonly perHour: readonly number[];
  readonly meanPerHour: number;
  readonly peakPerHour: number;
}

/** What happened while Git was refusing the fleet, and in the same length of time just before. */
export interface EpisodeReport {
  readonly fromMs: number;
  readonly untilMs: number;
  readonly gitRequests: number;
  readonly gitRateLimited: number;
  /** Of `gitRequests`, active probes to re-admit an ejected Git (no user waiting on them). */
  readonly gitProbes: number;
  readonly gitRequestsPerMinute: number;
  /** Git requests per minute in the window of equal length just before the episode. */
  readonly gitRequestsPerMinuteBefore: number;
  readonly userRequests: number;
  /** User requests that got no answer at all (an error on screen). */
  readonly userFailed: number;
  /** User requests answered with the last good registry, marked stale. */
  readonly userStale: number;
}

/** What users got, in counts over the whole period. */
export interface UserOutcomes {
  readonly total: number;
  readonly cloudflare: number;
  readonly git: number;
  readonly stale: number;
  readonly failed: number;
  /** Answered by another source than the first one tried. */
  readonly fallbacks: number;
}

/** Per time bin, what answered user requests: the chart's data. */
export interface OutcomeSeries {
  readonly binMinutes: number;
  readonly cloudflare: readonly number[];
  readonly git: readonly number[];
  readonly stale: readonly number[];
  readonly failed: readonly number[];
}

/** One strategy's results. */
export interface StrategyReport {
  readonly label: string;
  readonly spec: StrategySpec;
  /** The config TTL the apps used, seconds. */
  readonly configTtlSeconds: number;
  /** Null when no switch was simulated. */
  readonly propagation: PropagationReport | null;
  /** True when the propagation p99 is within the target. */
  readonly meetsTarget: boolean | null;
  /** Requests that reached Supabase. */
  readonly controlPlane: HourlySeries;
  /**
   * One Supabase read per data centre per `CONFIG_CACHE_SECONDS`, per hour: what the control
   * plane sees whatever the fleet size when concurrent misses are coalesced; null without an edge.
   */
  readonly controlPlaneCeilingPerHour: number | null;
  /** Supabase reads made while another read for the same data centre was in flight (no coalescing). */
  readonly controlPlaneDuplicates: number;
  /** Config requests answered by the Worker (cheap, not Supabase). */
  readonly edgeConfig: HourlySeries;
  readonly git: HourlySeries;
  readonly gitRateLimitedPerHour: readonly number[];
  readonly gitProbesPerHour: readonly number[];
  readonly gitRateLimited: number;
  readonly gitRateLimitedShare: number;
  /** Git requests that were active re-admission probes (no user waiting on them). */
  readonly gitProbes: number;
  readonly cdn: HourlySeries;
  readonly users: UserOutcomes;
  readonly episode: EpisodeReport | null;
  readonly series: OutcomeSeries;
}

/** The fleet and day every strategy faced. */
export interface FleetSummary {
  readonly installs: number;
  readonly sessions: number;
  readonly userRequests: number;
  readonly addresses: number;
  readonly sharedAddressInstalls: number;
  readonly largestAddressInstalls: number;
  readonly edgeLocations: number;
  readonly peakOpenApps: number;
}

/**
 * Everything `runSimulation` found. Plain JSON: `JSON.stringify(report)` round-trips, and the
 * same options give the same report byte for byte.
 */
export interface SimulationReport {
  readonly options: ResolvedSimulationOptions;
  readonly fleet: FleetSummary;
  readonly strategies: readonly StrategyReport[];
}
