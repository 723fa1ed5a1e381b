import type { ControlPlane } from './control-plane.ts';
import type { EventQueue } from './event-queue.ts';
import type { Fleet } from './fleet.ts';
import type { GitHostModel } from './git-host-model.ts';
import type { InstallUsage } from './install-usage.ts';
import type { MetricsRecorder } from './metrics-recorder.ts';
import type { Prng } from './prng.ts';
import type { NetworkOptions } from './simulation-options.ts';
import type { UsagePipeline } from './usage-pipeline.ts';

/** Event kinds from this number up belong to the strategy model; lower ones to the engine. */
export const MODEL_EVENT_BASE = 10;

/** The simulated world one strategy runs in: fresh for every strategy. */
export interface SimulationWorld {
  readonly queue: EventQueue;
  /** The strategy's own random stream (jitter), independent of the fleet's activity. */
  readonly rng: Prng;
  readonly fleet: Fleet;
  readonly git: GitHostModel;
  readonly controlPlane: ControlPlane;
  readonly metrics: MetricsRecorder;
  readonly network: NetworkOptions;
  /** Simulated hours (for hourly counts). */
  readonly hours: number;
}

/**
 * How one strategy's apps behave. The engine calls it on app start and close and on each user
 * request; the model schedules its own timers (config refreshes, probes) on `world.queue` with
 * kinds ≥ MODEL_EVENT_BASE and gets them back through `timer`.
 */
export interface StrategyModel {
  /** The config TTL the apps use, seconds. */
  readonly configTtlSeconds: number;
  /** One Supabase read per data centre per CONFIG_CACHE_SECONDS, per hour; null when unbounded. */
  readonly controlPlaneCeilingPerHour: number | null;
  sessionStart(install: number, now: number): void;
  sessionEnd(install: number, now: number): void;
  /** A user opens the marketplace (`REQUEST_KIND.registry`) or a plugin's page. */
  userRequest(install: number, kind: number, now: number): void;
  timer(kind: number, install: number, arg: number, now: number): void;
  /** The config version the install holds right now. */
  versionOf(install: number): number;
  /** Fleet telemetry, when the strategy sends it: each app's reporter and the edge-to-control-plane pipeline. */
  readonly usage?: { readonly installs: InstallUsage; readonly pipeline: UsagePipeline };
}
