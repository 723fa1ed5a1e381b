import { fnv1a32, type MarketplaceSourceConfig } from '@cartae/marketplace-core';
import { type AutoSwitchEvidence, evaluateAutoSwitch, type GitMinute } from './auto-switch-rule.ts';
import type { ControlPlane } from './control-plane.ts';
import type { MinuteTally } from './install-usage.ts';
import type { HourlySeries } from './simulation-report.ts';
import {
  type ReportContribution,
  type UsageRowSums,
  UsageShardModel,
  type WriteCause,
} from './usage-shard-model.ts';

/** The Worker's `REPORTS_PER_ADDRESS` (address-rate-limit.ts): a token bucket of 5 reports a minute. */
export const REPORTS_PER_ADDRESS = { capacity: 5, periodMs: 60_000 } as const;

/** The Worker's `takeToken`, for one bucket. Pure. */
export function takeToken(
  bucket: { readonly tokens: number; readonly updatedAt: number } | undefined,
  now: number,
  policy: { readonly capacity: number; readonly periodMs: number } = REPORTS_PER_ADDRESS,
): { allowed: boolean; bucket: { tokens: number; updatedAt: number } } {
  const elapsed = bucket === undefined ? 0 : Math.max(0, now - bucket.updatedAt);
  const available =
    bucket === undefined
      ? policy.capacity
      : Math.min(policy.capacity, bucket.tokens + (elapsed * policy.capacity) / policy.periodMs);
  if (available < 1) return { allowed: false, bucket: { tokens: available, updatedAt: now } };
  return { allowed: true, bucket: { tokens: available - 1, updatedAt: now } };
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Where the pipeline's events go: the strategy model's queue. */
export interface PipelineHost {
  schedule(at: number, kind: 'alarm' | 'cron', target: number, arg: number): void;
  /** The control plane switched the fleet: version `version` written at `now`. */
  switched(version: number, now: number): void;
}

/** What the automation did, for the report. */
export interface AutomationLog {
  /** The first automatic switch (the one reported), simulation ms. */
  switchedAt: number | undefined;
  lastSwitchAt: number | undefined;
  switches: number;
  version: number | undefined;
  evidence: AutoSwitchEvidence | undefined;
  evaluations: number;
  /** Evaluations that found the share over the threshold but were held back by a guard, by reason. */
  heldBack: Record<string, number>;
}

/**
 * Fleet telemetry from the edge to the control plane: the Worker's intake (one report per config
 * poll that carries one; a token bucket of 5 reports a minute per client address, per isolate),
 * the sharded aggregators (`UsageShardModel`, one per shard, `usageShardOf` = FNV-1a of the
 * install's daily hash modulo the shards), the control plane's `usage_minutes` (Git rows), and the
 * Worker's cron calling `evaluate_fleet_automation` at every whole minute.
 */
export class UsagePipeline {
  private readonly shards: UsageShardModel[];
  private readonly shardOf: Int32Array;
  private readonly buckets = new Map<number, { tokens: number; updatedAt: number }>();
  private readonly gitMinutes = new Map<number, GitMinute>();
  private readonly hours: number;
  readonly carryingPolls: Float64Array;
  readonly shardRequests: Float64Array;
  readonly rowsWritten: Float64Array;
  readonly checkpoints: Float64Array;
  readonly ingestCalls: Float64Array;
  readonly rowsByCause: Record<WriteCause, number> = { checkpoint: 0, close: 0, flush: 0, state: 0 };
  readonly counts = { accepted: 0, late: 0, addressLimited: 0, ingestRows: 0 };
  readonly automation: AutomationLog = {
    switchedAt: undefined,
    lastSwitchAt: undefined,
    switches: 0,
    version: undefined,
    evidence: undefined,
    evaluations: 0,
    heldBack: {},
  };

  constructor(
    installs: number,
    hours: number,
    readonly shardCount: number,
    private readonly edgeCount: number,
    private readonly controlPlane: ControlPlane,
    private readonly host: PipelineHost,
  ) {
    this.hours = Math.ceil(hours);
    this.carryingPolls = new Float64Array(this.hours);
    this.shardRequests = new Float64Array(this.hours);
    this.rowsWritten = new Float64Array(this.hours);
    this.checkpoints = new Float64Array(this.hours);
    this.ingestCalls = new Float64Array(this.hours);
    this.shardOf = new Int32Array(installs);
    for (let i = 0; i < installs; i++) this.shardOf[i] = fnv1a32(`sim-install-day-${i}`) % shardCount;
    this.shards = Array.from(
      { length: shardCount },
      (_, shard) =>
        new UsageShardModel(shard, {
          setAlarm: (s, at, token) => host.schedule(at, 'alarm', s, token),
          rowsWritten: (now, rows, cause) => {
            this.rowsByCause[cause] += rows;
            this.bump(this.rowsWritten, now, rows);
          },
          checkpointed: (now) => this.bump(this.checkpoints, now, 1),
          deliver: (now, rows) => this.deliver(now, rows),
        }),
    );
    // The Worker's cron: every whole minute of the simulated period.
    for (let at = MINUTE; at < hours * HOUR; at += MINUTE) host.schedule(at, 'cron', -1, 0);
  }

  private bump(series: Float64Array, now: number, by: number): void {
    const h = Math.min(this.hours - 1, Math.max(0, Math.floor(now / HOUR)));
    series[h] = (series[h] as number) + by;
  }

  /** A config poll from `install` (public `address`, data centre `edge`) carrying `report`. */
  report(install: number, address: number, edge: number, report: MinuteTally, now: number): void {
    this.bump(this.carryingPolls, now, 1);
    // One bucket per address in each data centre, taken as one isolate per data centre.
    const key = address * this.edgeCount + edge;
    const taken = takeToken(this.buckets.get(key), now);
    this.buckets.set(key, taken.bucket);
    if (!taken.allowed) {
      this.counts.addressLimited++;
      return;
    }
    const contributions: ReportContribution[] = [];
    if (report.gitRequests > 0)
      contributions.push({ source: 'git', requests: report.gitRequests, rateLimited: report.gitRateLimited });
    if (report.cdnRequests > 0)
      contributions.push({
        source: 'cloudflare',
        requests: report.cdnRequests,
        rateLimited: report.cdnRateLimited,
      });
    if (contributions.length === 0) return;
    this.bump(this.shardRequests, now, 1);
    const shard = this.shards[this.shardOf[install] as number] as UsageShardModel;
    const outcome = shard.add(install, report.minute, report.version, contributions, now);
    this.counts[outcome]++;
  }

  /** A shard's alarm, or the cron. */
  timer(kind: 'alarm' | 'cron', target: number, arg: number, now: number): void {
    if (kind === 'alarm') (this.shards[target] as UsageShardModel).alarm(arg, now);
    else this.evaluate(now);
  }

  /** `ingest_usage_aggregates`: one call, its rows added to their minutes. */
  private deliver(now: number, rows: readonly UsageRowSums[]): void {
    this.bump(this.ingestCalls, now, 1);
    this.counts.ingestRows += rows.length;
    for (const row of rows) {
      if (row.source !== 'git') continue;
      let m = this.gitMinutes.get(row.minute);
      if (m === undefined) {
        m = { requests: 0, rateLimited: 0, installs: 0, rateLimitedInstalls: 0 };
        this.gitMinutes.set(row.minute, m);
      }
      m.requests += row.requests;
      m.rateLimited += row.rateLimited;
      m.installs += row.installs;
      m.rateLimitedInstalls += row.rateLimitedInstalls;
    }
  }

  private evaluate(now: number): void {
    this.automation.evaluations++;
    const current: MarketplaceSourceConfig = this.controlPlane.configOf(this.controlPlane.versionAt(now));
    const decision = evaluateAutoSwitch(current, this.gitMinutes, this.automation.lastSwitchAt, now);
    if (decision.action === 'none') {
      if (decision.reason === 'too-few-installs' || decision.reason === 'cooling-down') {
        this.automation.heldBack[decision.reason] = (this.automation.heldBack[decision.reason] ?? 0) + 1;
      }
      return;
    }
    const version = this.controlPlane.write(now, decision.config);
    // Only the first switch is reported (the cooldown keeps any other an hour away).
    if (this.automation.switchedAt === undefined) {
      this.automation.switchedAt = now;
      this.automation.version = version;
      this.automation.evidence = decision.evidence;
    }
    this.automation.lastSwitchAt = now;
    this.automation.switches++;
    this.host.switched(version, now);
  }

  /** An hourly series of the counts above. */
  static series(perHour: Float64Array): HourlySeries {
    const values = Array.from(perHour);
    const sum = values.reduce((a, b) => a + b, 0);
    return {
      perHour: values,
      meanPerHour: values.length ? sum / values.length : 0,
      peakPerHour: Math.max(0, ...values),
    };
  }
}
