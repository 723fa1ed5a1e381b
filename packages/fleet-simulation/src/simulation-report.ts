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

/**
 * What fleet telemetry costs (strategies reading the edge endpoint with telemetry on): reports
 * ride on config polls, so they add no Worker request; the Worker hands each to a shard's Durable
 * Object, which writes its storage by checkpoints and flushes to the control plane once a minute.
 */
export interface TelemetryReport {
  readonly shards: number;
  /** Config polls that carried a report (POST instead of GET): not extra requests. */
  readonly reportCarryingPolls: HourlySeries;
  /** Worker requests made only for telemetry: zero by construction, counted to show it. */
  readonly extraWorkerRequests: number;
  /** Reports handed to a shard (Durable Object requests). */
  readonly shardRequests: HourlySeries;
  readonly reportsAccepted: number;
  /** Reports for a minute the shard had already closed (dropped). */
  readonly reportsLate: number;
  /** Reports refused by the Worker's per-address limit (5 a minute per address and isolate). */
  readonly reportsAddressLimited: number;
  /** Closed minutes an app dropped unsent (more than 3 held, or too old). */
  readonly minutesDropped: number;
  /** Minutes an app held in memory when it closed. */
  readonly minutesLostOnExit: number;
  /** Rows written to the shards' storage (the unit Durable Object SQLite storage bills). */
  readonly storageRowsWritten: HourlySeries;
  /** Of the rows written, whole period, by cause. */
  readonly storageRowsByCause: {
    readonly checkpoint: number;
    readonly close: number;
    readonly flush: number;
    readonly state: number;
  };
  /** Checkpoints that wrote something (one storage transaction each). */
  readonly checkpoints: HourlySeries;
  /** Calls to `ingest_usage_aggregates` (control-plane writes). */
  readonly controlPlaneWrites: HourlySeries;
  /** One call per shard per minute: shards × 60. */
  readonly controlPlaneWriteCeilingPerHour: number;
  /** `usage_minutes` rows the calls carried, whole period. */
  readonly controlPlaneRowsWritten: number;
  /** Calls to `evaluate_fleet_automation` (the Worker's cron, once a minute). */
  readonly evaluationsPerHour: number;
}

/** The automatic switch (`autoSwitch` in the config document), when enabled. */
export interface AutomationReport {
  readonly rateLimitedPercent: number;
  readonly windowMinutes: number;
  readonly target: string;
  /** When the control plane switched the fleet, simulation ms; null if it never did. */
  readonly switchedAtMs: number | null;
  /** From the start of the rate-limit episode to the switch; null without both. */
  readonly episodeToSwitchMs: number | null;
  /** From the start of the episode until 99 % of the apps open at the switch held the new config. */
  readonly episodeToFleetP99Ms: number | null;
  /** The figures of the window that fired it. */
  readonly evidence: {
    readonly installs: number;
    readonly requests: number;
    readonly rateLimited: number;
    readonly installMinutes: number;
    readonly rateLimitedInstallMinutes: number;
  } | null;
  /** The automatic switch reaching apps open when it was written. */
  readonly propagation: PropagationReport | null;
  readonly switches: number;
  readonly evaluations: number;
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
  /** Null for strategies that send no telemetry (the user's design, Supabase-direct reads). */
  readonly telemetry: TelemetryReport | null;
  /** Null unless the config document enables `autoSwitch`. */
  readonly automation: AutomationReport | null;
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
