import type { MarketplaceSourceConfig } from '@cartae/marketplace-core';
import type { InstallUsage } from './install-usage.ts';
import type { MetricsRecorder } from './metrics-recorder.ts';
import type { AutomationReport, TelemetryReport } from './simulation-report.ts';
import { UsagePipeline } from './usage-pipeline.ts';

/** What telemetry cost one strategy's run. */
export function telemetryReport(installs: InstallUsage, pipeline: UsagePipeline): TelemetryReport {
  const series = UsagePipeline.series;
  return {
    shards: pipeline.shardCount,
    reportCarryingPolls: series(pipeline.carryingPolls),
    extraWorkerRequests: 0,
    shardRequests: series(pipeline.shardRequests),
    reportsAccepted: pipeline.counts.accepted,
    reportsLate: pipeline.counts.late,
    reportsAddressLimited: pipeline.counts.addressLimited,
    minutesDropped: installs.losses.dropped,
    minutesLostOnExit: installs.losses.lostOnExit,
    storageRowsWritten: series(pipeline.rowsWritten),
    storageRowsByCause: { ...pipeline.rowsByCause },
    checkpoints: series(pipeline.checkpoints),
    controlPlaneWrites: series(pipeline.ingestCalls),
    controlPlaneWriteCeilingPerHour: pipeline.shardCount * 60,
    controlPlaneRowsWritten: pipeline.counts.ingestRows,
    evaluationsPerHour: 60,
  };
}

/** The automatic switch, when the initial config document enables it; null otherwise. */
export function automationReport(
  initial: MarketplaceSourceConfig,
  pipeline: UsagePipeline,
  metrics: MetricsRecorder,
  episodeFrom: number | undefined,
): AutomationReport | null {
  const auto = initial.autoSwitch;
  if (auto === undefined || !auto.enabled) return null;
  const log = pipeline.automation;
  const propagation = metrics.autoSwitch.report();
  const switchedAt = log.switchedAt ?? null;
  const toSwitch =
    switchedAt !== null && episodeFrom !== undefined && switchedAt >= episodeFrom
      ? switchedAt - episodeFrom
      : null;
  const p99 = propagation?.p99Ms ?? null;
  return {
    rateLimitedPercent: auto.rateLimitedPercent,
    windowMinutes: auto.windowMinutes,
    target: auto.target,
    switchedAtMs: switchedAt,
    episodeToSwitchMs: toSwitch,
    episodeToFleetP99Ms: toSwitch === null || p99 === null ? null : toSwitch + p99,
    evidence: log.evidence
      ? {
          installs: log.evidence.installs,
          requests: log.evidence.requests,
          rateLimited: log.evidence.rateLimited,
          installMinutes: log.evidence.installMinutes,
          rateLimitedInstallMinutes: log.evidence.rateLimitedInstallMinutes,
        }
      : null,
    propagation,
    switches: log.switches,
    evaluations: log.evaluations,
  };
}
