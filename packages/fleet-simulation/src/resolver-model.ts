import {
  type MarketplaceErrorCode,
  type MarketplaceSourceConfig,
  parseRateLimit,
  type SourceKind,
  selectSources,
} from '@cartae/marketplace-core';
import { DEFAULT_EJECTION_POLICY, type EjectionPolicy } from '@cartae/marketplace-resolver';
import { REQUEST_KIND } from './activity-plan.ts';
import { EdgeConfigCache } from './edge-config-cache.ts';
import { InstallUsage } from './install-usage.ts';
import { OUTCOME } from './metrics-recorder.ts';
import {
  DEFAULT_EDGE_CONFIG_POLL_SECONDS,
  HealthBoard,
  isFresh,
  judgeAnswer,
  nextRefreshDelay,
  planAttempts,
  probesAfterEjection,
} from './resolver-decisions.ts';
import { CDN_OK, type SimulatedResponse } from './simulated-response.ts';
import { MODEL_EVENT_BASE, type SimulationWorld, type StrategyModel } from './strategy-model.ts';
import type { ResolverSpec } from './strategy-spec.ts';
import { UsagePipeline } from './usage-pipeline.ts';

const CONFIG_TIMER = MODEL_EVENT_BASE;
const CONFIG_ANSWER = MODEL_EVENT_BASE + 1;
const PROBE = MODEL_EVENT_BASE + 2;
const SHARD_ALARM = MODEL_EVENT_BASE + 3;
const AUTOMATION_CRON = MODEL_EVENT_BASE + 4;
const VERSION_SLOTS = 8;
const SOURCE_INDEX: Record<SourceKind, number> = { cloudflare: 0, git: 1 };
const SOURCE_OF: readonly SourceKind[] = ['cloudflare', 'git'];

const REGISTRY_ROUTE = { name: 'registry' } as const;

/** Only names the source in a judgement's messages; the simulation sends no real request. */
const SIMULATED_URL = {
  git: 'git://simulated/registry.json',
  cloudflare: 'cdn://simulated/api/plugins',
} as const;
/** Before the simulated day, every install last saw the config yesterday: it is stale at first start. */
const YESTERDAY = -86_400_000;

/**
 * Our resolver, decision for decision: the `ConfigStore` timer rules (persisted config, refresh
 * at once when stale, then every TTL minus up to 20 % jitter, stale-while-revalidate on use, one
 * refresh in flight), the attempt loop (`selectSources`, then ejected sources as a last resort,
 * `parseRateLimit` + `judgeAnswer`, passive health), the `ProbeScheduler` (one probe per
 * ejected source shortly after its ejection ends, when the config enables health checks) and the
 * last good registry served stale when every source fails.
 */
export class ResolverModel implements StrategyModel {
  readonly configTtlSeconds: number;
  readonly controlPlaneCeilingPerHour: number | null;
  private readonly policy: EjectionPolicy;
  private readonly probes: boolean;
  private readonly pollSeconds: number | undefined;
  private readonly lowRemainingThreshold: number;
  private readonly edge: EdgeConfigCache | undefined;
  private readonly session: Int32Array;
  private readonly running: Uint8Array;
  private readonly version: Int32Array;
  private readonly fetchedAt: Float64Array;
  /** `fetchedAt` as persisted: only a full answer (200) is stored, a 304 refreshes memory only. */
  private readonly persistedAt: Float64Array;
  /** The app holds the edge's ETag (in memory only), so its next read is conditional. */
  private readonly hasEtag: Uint8Array;
  private readonly timerToken: Int32Array;
  private readonly inflight: Uint8Array;
  private readonly probeToken: Float64Array;
  private readonly health: HealthBoard[];
  readonly usage: { readonly installs: InstallUsage; readonly pipeline: UsagePipeline } | undefined;

  constructor(
    private readonly world: SimulationWorld,
    spec: ResolverSpec,
  ) {
    const n = world.fleet.size;
    const { network } = world;
    this.configTtlSeconds = world.controlPlane.configOf(1).cacheTtlSeconds;
    this.policy = { ...DEFAULT_EJECTION_POLICY, ...spec.ejection };
    this.probes = spec.probes ?? true;
    this.lowRemainingThreshold = spec.lowRemainingThreshold ?? 5;
    // The resolver's configPollSeconds: 15 s by default when reading the edge endpoint.
    this.pollSeconds =
      spec.configPollSeconds ??
      (spec.configPath === 'supabase' ? undefined : DEFAULT_EDGE_CONFIG_POLL_SECONDS);
    if (spec.configPath === 'supabase') {
      this.edge = undefined;
      this.controlPlaneCeilingPerHour = null;
    } else {
      this.edge = new EdgeConfigCache(
        network.edgeLocations,
        network.edgeConfigCacheSeconds * 1000,
        network.supabaseLatencyMs,
        network.edgeSingleFlight,
        world.controlPlane,
        (now, duplicate) => world.metrics.controlPlaneRequest(now, duplicate),
      );
      this.controlPlaneCeilingPerHour =
        network.edgeConfigCacheSeconds > 0
          ? Math.round((network.edgeLocations * 3600) / network.edgeConfigCacheSeconds)
          : null;
    }
    this.session = new Int32Array(n);
    this.running = new Uint8Array(n);
    this.version = new Int32Array(n).fill(1);
    this.fetchedAt = new Float64Array(n).fill(YESTERDAY);
    this.persistedAt = new Float64Array(n).fill(YESTERDAY);
    this.hasEtag = new Uint8Array(n);
    this.timerToken = new Int32Array(n);
    this.inflight = new Uint8Array(n);
    this.probeToken = new Float64Array(n * 2);
    this.health = Array.from({ length: n }, (_, install) => this.newHealth(install));
    // The resolver's telemetry rides on the edge endpoint's polls: on by default with it.
    this.usage =
      this.edge !== undefined && spec.telemetry !== false
        ? {
            installs: new InstallUsage(n),
            pipeline: new UsagePipeline(
              n,
              world.hours,
              network.usageShards,
              world.fleet.edgeCount,
              world.controlPlane,
              {
                schedule: (at, kind, target, arg) =>
                  world.queue.push(at, kind === 'alarm' ? SHARD_ALARM : AUTOMATION_CRON, target, arg),
                switched: (version, now) => this.autoSwitched(version, now),
              },
            ),
          }
        : undefined;
  }

  /** The control plane switched the fleet on its own: measure how fast open apps follow. */
  private autoSwitched(version: number, now: number): void {
    const tracker = this.world.metrics.autoSwitch;
    if (tracker.started) return;
    tracker.written(version, now);
    for (let i = 0; i < this.running.length; i++) {
      if (this.running[i] === 1) tracker.openAt(i, this.version[i] as number);
    }
  }

  versionOf(install: number): number {
    return this.version[install] as number;
  }

  sessionStart(install: number, now: number): void {
    this.session[install] = (this.session[install] as number) + 1;
    this.running[install] = 1;
    this.inflight[install] = 0;
    this.hasEtag[install] = 0;
    // A new app process: health is kept in memory only.
    this.health[install] = this.newHealth(install);
    this.usage?.installs.sessionStart(install);
    // ConfigStore.initialise with a persisted config: refresh now when stale, else on the timer.
    this.fetchedAt[install] = this.persistedAt[install] as number;
    const fresh = isFresh(
      { fetchedAt: this.fetchedAt[install] as number, ttlSeconds: this.ttl(install) },
      now,
    );
    this.scheduleRefresh(install, now, fresh ? undefined : 0);
  }

  sessionEnd(install: number): void {
    this.session[install] = (this.session[install] as number) + 1;
    this.running[install] = 0;
    this.usage?.installs.sessionEnd(install);
    this.probeToken[install * 2] = (this.probeToken[install * 2] as number) + 1;
    this.probeToken[install * 2 + 1] = (this.probeToken[install * 2 + 1] as number) + 1;
  }

  timer(kind: number, install: number, arg: number, now: number): void {
    if (kind === CONFIG_TIMER) {
      if (arg === this.timerToken[install] && this.running[install] === 1) this.refresh(install, now, true);
    } else if (kind === CONFIG_ANSWER) {
      const version = arg % VERSION_SLOTS;
      if ((arg - version) / VERSION_SLOTS !== this.session[install]) return;
      this.inflight[install] = 0;
      // From the edge with its ETag and nothing changed: a 304, which ConfigStore does not persist.
      const notModified = this.hasEtag[install] === 1 && version === this.version[install];
      this.version[install] = version;
      this.fetchedAt[install] = now;
      if (!notModified) this.persistedAt[install] = now;
      if (this.edge) this.hasEtag[install] = 1;
      this.usage?.installs.pollAnswered(install);
      this.world.metrics.adopted(install, version, now);
      this.scheduleRefresh(install, now, undefined);
    } else if (kind === PROBE) {
      const index = arg % 2;
      if (this.running[install] !== 1 || this.probeToken[install * 2 + index] !== (arg - index) / 2) return;
      this.probe(install, SOURCE_OF[index] as SourceKind, now);
    } else if (kind === SHARD_ALARM) {
      this.usage?.pipeline.timer('alarm', install, arg, now);
    } else if (kind === AUTOMATION_CRON) {
      this.usage?.pipeline.timer('cron', install, arg, now);
    }
  }

  userRequest(install: number, kind: number, now: number): void {
    const { world } = this;
    // refreshIfStale(): a stale config is used now while one refresh runs in the background.
    if (now - (this.fetchedAt[install] as number) >= this.ttl(install) * 1000)
      this.refresh(install, now, false);
    const config = this.config(install);
    const health = this.health[install] as HealthBoard;
    const selection = selectSources({
      config,
      health: health.views(now),
      bucket: world.fleet.buckets[install] as number,
      now,
      lowRemainingThreshold: this.lowRemainingThreshold,
    });
    // The resolver's own attempt order (admitted sources, then ejected ones as a last resort).
    const { first, steps } = planAttempts(selection, REGISTRY_ROUTE, config);
    for (const { source } of steps) {
      const verdict = this.attempt(install, source, now, false);
      if (verdict) {
        world.metrics.userRequest(now, source === 'git' ? OUTCOME.git : OUTCOME.cloudflare, source !== first);
        return;
      }
      if (!config.fallbackOnError) break;
    }
    // Every source failed: the registry page shows the last good copy (persisted), marked stale;
    // a plugin page has nothing to show.
    world.metrics.userRequest(now, kind === REQUEST_KIND.registry ? OUTCOME.stale : OUTCOME.failed, false);
  }

  /** One request to one source, feeding passive health. True when it answered. */
  private attempt(install: number, source: SourceKind, now: number, probe: boolean): boolean {
    const { world } = this;
    const response: SimulatedResponse =
      source === 'git' ? world.git.respond(world.fleet.addressOf[install] as number, now) : CDN_OK;
    const health = this.health[install] as HealthBoard;
    const rateLimit = parseRateLimit(response.status, response, now);
    health.noteRateLimit(source, rateLimit);
    // The resolver's own judgement; a simulated 2xx carries a registry the reader accepts.
    const url = SIMULATED_URL[source];
    let judged = judgeAnswer({
      source,
      url,
      notFound: 'fault',
      outcome: { stage: 'headers', status: response.status, rateLimit },
    });
    if (judged.verdict === 'read-body') {
      judged = judgeAnswer({
        source,
        url,
        notFound: 'fault',
        outcome: { stage: 'body', status: response.status, refusal: undefined },
      });
    }
    const limited = judged.error?.code === 'source_rate_limited';
    world.metrics.sourceRequest(source, now, limited, probe);
    this.usage?.installs.attempt(install, source === 'git', limited, this.version[install] as number, now);
    if (judged.health.kind === 'success') {
      health.succeeded(source, now);
      return true;
    }
    const reason: MarketplaceErrorCode = judged.error?.code ?? 'source_http_error';
    const retryAt = judged.health.kind === 'failure' ? judged.health.retryAt : undefined;
    // An ejection reaches onEjected through the board's own hook, as in the resolver.
    health.failed(source, {
      reason,
      message: judged.error?.message ?? '',
      now,
      ...(retryAt === undefined ? {} : { retryAt }),
    });
    return false;
  }

  /** One app's passive health: the resolver's own HealthBoard (no events needed here). */
  private newHealth(install: number): HealthBoard {
    return new HealthBoard(
      this.policy,
      () => undefined,
      (source, until, reason, now) => this.onEjected(install, source, until, now, reason),
    );
  }

  /** The resolver's HealthBoard → ProbeScheduler hook (same `probesAfterEjection` rule). */
  private onEjected(
    install: number,
    source: SourceKind,
    until: number,
    now: number,
    reason: MarketplaceErrorCode,
  ): void {
    if (!probesAfterEjection(reason)) return;
    if (!this.probes || !this.config(install).healthCheckEnabled || this.running[install] !== 1) return;
    const slot = install * 2 + SOURCE_INDEX[source];
    const token = (this.probeToken[slot] as number) + 1;
    this.probeToken[slot] = token;
    const wait = Math.max(0, until - now);
    const delay = wait + Math.min(5000, wait * 0.1) * this.world.rng.next();
    this.world.queue.push(now + delay, PROBE, install, token * 2 + SOURCE_INDEX[source]);
  }

  /** checkSource(): an ejected source is not contacted before its retry time. */
  private probe(install: number, source: SourceKind, now: number): void {
    if (!this.config(install).healthCheckEnabled) return;
    if ((this.health[install] as HealthBoard).state(source, now).status === 'ejected') return;
    this.attempt(install, source, now, true);
  }

  private config(install: number): MarketplaceSourceConfig {
    return this.world.controlPlane.configOf(this.version[install] as number);
  }

  private ttl(install: number): number {
    return this.config(install).cacheTtlSeconds;
  }

  /** ConfigStore.scheduleNext(): the TTL, or the poll interval when shorter. */
  private refreshEvery(install: number): number {
    const ttl = this.ttl(install);
    return this.pollSeconds === undefined ? ttl : Math.min(ttl, this.pollSeconds);
  }

  private scheduleRefresh(install: number, now: number, delayMs: number | undefined): void {
    const token = (this.timerToken[install] as number) + 1;
    this.timerToken[install] = token;
    const delay = delayMs ?? nextRefreshDelay(this.refreshEvery(install), this.world.rng.next());
    this.world.queue.push(now + delay, CONFIG_TIMER, install, token);
  }

  /** ConfigStore.refresh(): one request in flight at most; not forced → only when stale. */
  private refresh(install: number, now: number, force: boolean): void {
    if (this.running[install] !== 1 || this.inflight[install] === 1) return;
    if (
      !force &&
      isFresh({ fetchedAt: this.fetchedAt[install] as number, ttlSeconds: this.ttl(install) }, now)
    ) {
      return;
    }
    this.inflight[install] = 1;
    const { world } = this;
    let version: number;
    let latency: number;
    if (this.edge) {
      world.metrics.edgeConfigRequest(now);
      // Every refresh here is a background round (the timer, or stale-while-revalidate on use): a
      // report due rides on it, turning the GET into a POST — never an extra request.
      const report = this.usage?.installs.reportForPoll(install, now);
      if (report !== undefined) {
        this.usage?.pipeline.report(
          install,
          world.fleet.addressOf[install] as number,
          world.fleet.edgeOf[install] as number,
          report,
          now,
        );
      }
      version = this.edge.read(world.fleet.edgeOf[install] as number, now);
      latency = world.network.edgeLatencyMs + this.edge.lastReadWaitMs;
    } else {
      world.metrics.controlPlaneRequest(now);
      version = world.controlPlane.versionAt(now);
      latency = world.network.supabaseLatencyMs;
    }
    const arg = (this.session[install] as number) * VERSION_SLOTS + version;
    world.queue.push(now + latency, CONFIG_ANSWER, install, arg);
  }
}
