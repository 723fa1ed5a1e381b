import {
  DEFAULT_MARKETPLACE_CONFIG,
  type MarketplaceSourceConfig,
  readMarketplaceConfig,
} from '@cartae/marketplace-core';
import { type ActivityPlan, planActivity } from './activity-plan.ts';
import { ControlPlane } from './control-plane.ts';
import { EventQueue } from './event-queue.ts';
import { buildFleet, type Fleet } from './fleet.ts';
import { GitHostModel } from './git-host-model.ts';
import { MetricsRecorder } from './metrics-recorder.ts';
import { createPrng } from './prng.ts';
import { ResolverModel } from './resolver-model.ts';
import { runStrategy } from './run-strategy.ts';
import {
  type ResolvedSimulationOptions,
  resolveSimulationOptions,
  type SimulationOptions,
} from './simulation-options.ts';
import type { SimulationReport, StrategyReport } from './simulation-report.ts';
import type { SimulationWorld, StrategyModel } from './strategy-model.ts';
import type { StrategySpec } from './strategy-spec.ts';
import { automationReport, telemetryReport } from './telemetry-report.ts';
import { UserDesignModel } from './user-design-model.ts';

/** Where a run is, for a progress bar. */
export interface SimulationProgress {
  readonly strategy: string;
  /** 0-based index of the strategy being simulated. */
  readonly strategyIndex: number;
  readonly strategyCount: number;
  readonly simulatedHours: number;
  readonly totalHours: number;
  /** Overall completion, 0..1. */
  readonly fraction: number;
}

const HOUR = 3_600_000;

function readDocument(document: Record<string, unknown>, what: string): MarketplaceSourceConfig {
  const read = readMarketplaceConfig(document);
  if (!read.ok)
    throw new TypeError(`runSimulation: the ${what} config document is invalid: ${read.error.message}`);
  return read.value.config;
}

function controlPlaneFor(spec: StrategySpec, options: ResolvedSimulationOptions): ControlPlane {
  const base = { ...DEFAULT_MARKETPLACE_CONFIG, ...spec.document };
  const before = readDocument(base, 'initial');
  const after = readDocument({ ...base, ...options.switchTo }, 'switched-to');
  const switchAt = options.switchAtHour === null ? Number.POSITIVE_INFINITY : options.switchAtHour * HOUR;
  return new ControlPlane(before, after, switchAt);
}

function runOne(
  spec: StrategySpec & { readonly label: string },
  options: ResolvedSimulationOptions,
  fleet: Fleet,
  plan: ActivityPlan,
  onTick: (simulatedMs: number) => void,
): { report: StrategyReport; peakOpenApps: number } {
  const horizonMs = options.hours * HOUR;
  const controlPlane = controlPlaneFor(spec, options);
  const e = options.rateLimitEpisode;
  const episode = e
    ? {
        from: e.startHour * HOUR,
        until: e.startHour * HOUR + e.minutes * 60_000,
        retryAfterSeconds: e.retryAfterSeconds,
      }
    : undefined;
  const metrics = new MetricsRecorder(
    fleet.size,
    options.hours,
    options.binMinutes,
    episode,
    controlPlane.switchAt,
  );
  const world: SimulationWorld = {
    queue: new EventQueue(),
    rng: createPrng(options.seed, `strategy:${spec.label}`),
    fleet,
    git: new GitHostModel(fleet.addressCount, options.network.gitLimitPerHour, episode),
    controlPlane,
    metrics,
    network: options.network,
    hours: options.hours,
  };
  const model: StrategyModel =
    spec.kind === 'user-design'
      ? new UserDesignModel(world, spec.configTtlSeconds ?? 300)
      : new ResolverModel(world, spec);
  const run = runStrategy(
    world.queue,
    plan,
    model,
    metrics,
    {
      horizonMs,
      switchAt: controlPlane.switchAt,
      installs: fleet.size,
      switchVersion: () => controlPlane.versionAt(controlPlane.switchAt),
    },
    onTick,
  );
  const hourly = metrics.hourly();
  const propagation = metrics.propagation();
  const gitTotal = hourly.git.perHour.reduce((a, b) => a + b, 0);
  const { label, ...rest } = spec;
  return {
    peakOpenApps: run.peakOpenApps,
    report: {
      label,
      spec: rest,
      configTtlSeconds: model.configTtlSeconds,
      propagation,
      meetsTarget:
        propagation?.p99Ms === null || propagation === null
          ? null
          : propagation.p99Ms <= options.targetP99Seconds * 1000,
      controlPlane: hourly.controlPlane,
      controlPlaneCeilingPerHour: model.controlPlaneCeilingPerHour,
      controlPlaneDuplicates: hourly.controlPlaneDuplicates,
      edgeConfig: hourly.edgeConfig,
      git: hourly.git,
      gitRateLimitedPerHour: hourly.gitRateLimitedPerHour,
      gitProbesPerHour: hourly.gitProbesPerHour,
      gitRateLimited: hourly.gitRateLimited,
      gitRateLimitedShare: gitTotal === 0 ? 0 : hourly.gitRateLimited / gitTotal,
      gitProbes: hourly.gitProbesPerHour.reduce((a, b) => a + b, 0),
      cdn: hourly.cdn,
      users: metrics.userOutcomes(),
      episode: metrics.episodeReport(),
      series: metrics.outcomeSeries(options.binMinutes),
      telemetry: model.usage ? telemetryReport(model.usage.installs, model.usage.pipeline) : null,
      automation: model.usage
        ? automationReport(controlPlane.configOf(1), model.usage.pipeline, metrics, episode?.from)
        : null,
    },
  };
}

/**
 * Simulates a fleet of installed apps over a day in virtual time (no sockets, no timers): the
 * same people, sessions and marketplace visits for every strategy, an admin's switch and a Git
 * rate-limit episode. Deterministic: the same options give the same report. Throws a TypeError
 * only for invalid options.
 *
 * @example
 * const report = runSimulation({ installs: 10_000, hours: 24, seed: 1, switchAtHour: 14 }, (p) => bar.update(p.fraction));
 * await writeFile('simulation.md', renderMarkdown(report));
 * await writeFile('simulation.svg', renderSvg(report));
 */
export function runSimulation(
  options: SimulationOptions = {},
  onProgress?: (progress: SimulationProgress) => void,
): SimulationReport {
  const resolved = resolveSimulationOptions(options);
  const fleet = buildFleet(resolved.installs, resolved.seed, resolved.network);
  const plan = planActivity(resolved.installs, resolved.hours, resolved.seed, resolved.activity);
  const count = resolved.strategies.length;
  let peakOpenApps = 0;
  const strategies = resolved.strategies.map((spec, index) => {
    const onTick = (simulatedMs: number) =>
      onProgress?.({
        strategy: spec.label,
        strategyIndex: index,
        strategyCount: count,
        simulatedHours: simulatedMs / HOUR,
        totalHours: resolved.hours,
        fraction: Math.min(1, (index + simulatedMs / (resolved.hours * HOUR)) / count),
      });
    const { report, peakOpenApps: peak } = runOne(spec, resolved, fleet, plan, onTick);
    peakOpenApps = peak;
    return report;
  });
  return {
    options: resolved,
    fleet: {
      installs: fleet.size,
      sessions: plan.sessionCount,
      userRequests: plan.requestCount,
      addresses: fleet.addressCount,
      sharedAddressInstalls: fleet.sharedAddressInstalls,
      largestAddressInstalls: fleet.largestAddressInstalls,
      edgeLocations: fleet.edgeCount,
      peakOpenApps,
    },
    strategies,
  };
}
