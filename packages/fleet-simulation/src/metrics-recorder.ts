import type { SourceKind } from '@cartae/marketplace-core';
import { PropagationTracker } from './propagation-tracker.ts';
import type {
  EpisodeReport,
  HourlySeries,
  OutcomeSeries,
  PropagationReport,
  UserOutcomes,
} from './simulation-report.ts';

/** What a user request ended with. */
export const OUTCOME = { cloudflare: 0, git: 1, stale: 2, failed: 3 } as const;
export type Outcome = (typeof OUTCOME)[keyof typeof OUTCOME];

const HOUR = 3_600_000;

/** Adds one to a slot of a typed array. */
function bump(counts: Float64Array, index: number): void {
  counts[index] = (counts[index] as number) + 1;
}

function series(perHour: Float64Array): HourlySeries {
  const values = Array.from(perHour);
  const sum = values.reduce((a, b) => a + b, 0);
  return {
    perHour: values,
    meanPerHour: values.length ? sum / values.length : 0,
    peakPerHour: Math.max(0, ...values),
  };
}

/**
 * Counts everything one strategy run does: requests per hour to each party, user outcomes per
 * chart bin, the rate-limit episode, and per-install switch propagation.
 */
export class MetricsRecorder {
  private readonly controlPlane: Float64Array;
  private readonly edgeConfig: Float64Array;
  private readonly git: Float64Array;
  private readonly gitLimited: Float64Array;
  private readonly gitProbes: Float64Array;
  private readonly cdn: Float64Array;
  private readonly bins: [Float64Array, Float64Array, Float64Array, Float64Array];
  private readonly users = { total: 0, cloudflare: 0, git: 0, stale: 0, failed: 0, fallbacks: 0 };
  private readonly episode = { git: 0, limited: 0, probes: 0, gitBefore: 0, users: 0, failed: 0, stale: 0 };
  /** The admin's switch, and the fleet automation's switch when it fires. */
  readonly adminSwitch: PropagationTracker;
  readonly autoSwitch: PropagationTracker;
  private duplicates = 0;
  private readonly binMs: number;
  private readonly hours: number;

  constructor(
    installs: number,
    hours: number,
    binMinutes: number,
    private readonly episodeWindow: { from: number; until: number } | undefined,
    private readonly switchAt: number,
  ) {
    this.hours = Math.ceil(hours);
    this.controlPlane = new Float64Array(this.hours);
    this.edgeConfig = new Float64Array(this.hours);
    this.git = new Float64Array(this.hours);
    this.gitLimited = new Float64Array(this.hours);
    this.gitProbes = new Float64Array(this.hours);
    this.cdn = new Float64Array(this.hours);
    this.binMs = binMinutes * 60_000;
    const bins = Math.ceil((hours * HOUR) / this.binMs);
    this.bins = [
      new Float64Array(bins),
      new Float64Array(bins),
      new Float64Array(bins),
      new Float64Array(bins),
    ];
    this.adminSwitch = new PropagationTracker(installs);
    this.autoSwitch = new PropagationTracker(installs);
  }

  private hour(now: number): number {
    return Math.min(this.hours - 1, Math.max(0, Math.floor(now / HOUR)));
  }

  private inEpisode(now: number): boolean {
    return (
      this.episodeWindow !== undefined && now >= this.episodeWindow.from && now < this.episodeWindow.until
    );
  }

  private beforeEpisode(now: number): boolean {
    const w = this.episodeWindow;
    return w !== undefined && now < w.from && now >= w.from - (w.until - w.from);
  }

  /** A request reaching Supabase; `duplicate` when an edge fill for the same data centre was in flight. */
  controlPlaneRequest(now: number, duplicate = false): void {
    bump(this.controlPlane, this.hour(now));
    if (duplicate) this.duplicates++;
  }

  edgeConfigRequest(now: number): void {
    bump(this.edgeConfig, this.hour(now));
  }

  /** One request reaching a source; `probe` for active health checks, `rateLimited` for a 429. */
  sourceRequest(source: SourceKind, now: number, rateLimited: boolean, probe: boolean): void {
    const h = this.hour(now);
    if (source === 'cloudflare') {
      bump(this.cdn, h);
      return;
    }
    bump(this.git, h);
    if (rateLimited) bump(this.gitLimited, h);
    if (probe) bump(this.gitProbes, h);
    if (this.inEpisode(now)) {
      this.episode.git++;
      if (rateLimited) this.episode.limited++;
      if (probe) this.episode.probes++;
    } else if (this.beforeEpisode(now)) this.episode.gitBefore++;
  }

  /** A user request's outcome; `fallback` when another source than the first tried answered. */
  userRequest(now: number, outcome: Outcome, fallback: boolean): void {
    const bin = Math.min(this.bins[0].length - 1, Math.floor(now / this.binMs));
    bump(this.bins[outcome], bin);
    const u = this.users;
    u.total++;
    if (fallback) u.fallbacks++;
    if (outcome === OUTCOME.cloudflare) u.cloudflare++;
    else if (outcome === OUTCOME.git) u.git++;
    else if (outcome === OUTCOME.stale) u.stale++;
    else u.failed++;
    if (this.inEpisode(now)) {
      this.episode.users++;
      if (outcome === OUTCOME.failed) this.episode.failed++;
      if (outcome === OUTCOME.stale) this.episode.stale++;
    }
  }

  /** At the admin's switch, which wrote `target`: an app open then, holding `version`. */
  openAtSwitch(install: number, version: number, target: number): void {
    if (!this.adminSwitch.started) this.adminSwitch.written(target, this.switchAt);
    this.adminSwitch.openAt(install, version);
  }

  /** An app now holds config `version`. */
  adopted(install: number, version: number, now: number): void {
    this.adminSwitch.adopted(install, version, now);
    this.autoSwitch.adopted(install, version, now);
  }

  /** An app closed. */
  closed(install: number): void {
    this.adminSwitch.closed(install);
    this.autoSwitch.closed(install);
  }

  propagation(): PropagationReport | null {
    if (!Number.isFinite(this.switchAt)) return null;
    return (
      this.adminSwitch.report() ?? {
        runningAtSwitch: 0,
        adopted: 0,
        closedBeforeAdopting: 0,
        p50Ms: null,
        p90Ms: null,
        p99Ms: null,
        maxMs: null,
      }
    );
  }

  hourly() {
    return {
      controlPlane: series(this.controlPlane),
      edgeConfig: series(this.edgeConfig),
      git: series(this.git),
      cdn: series(this.cdn),
      gitRateLimitedPerHour: Array.from(this.gitLimited),
      gitProbesPerHour: Array.from(this.gitProbes),
      gitRateLimited: this.gitLimited.reduce((a, b) => a + b, 0),
      controlPlaneDuplicates: this.duplicates,
    };
  }

  userOutcomes(): UserOutcomes {
    return { ...this.users };
  }

  outcomeSeries(binMinutes: number): OutcomeSeries {
    const [cloudflare, git, stale, failed] = this.bins.map((b) => Array.from(b)) as [
      number[],
      number[],
      number[],
      number[],
    ];
    return { binMinutes, cloudflare, git, stale, failed };
  }

  episodeReport(): EpisodeReport | null {
    const w = this.episodeWindow;
    if (w === undefined) return null;
    const minutes = (w.until - w.from) / 60_000;
    const e = this.episode;
    return {
      fromMs: w.from,
      untilMs: w.until,
      gitRequests: e.git,
      gitRateLimited: e.limited,
      gitProbes: e.probes,
      gitRequestsPerMinute: e.git / minutes,
      gitRequestsPerMinuteBefore:
        Math.min(minutes, w.from / 60_000) > 0 ? e.gitBefore / Math.min(minutes, w.from / 60_000) : 0,
      userRequests: e.users,
      userFailed: e.failed,
      userStale: e.stale,
    };
  }
}
