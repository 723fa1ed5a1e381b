import {
  bucketOf,
  DEFAULT_BUCKET_SALT,
  type LogicalRoute,
  MarketplaceError,
  parseLogicalPath,
  SOURCE_KINDS,
  type SourceKind,
  type SourceSelection,
  selectSources,
  sourceUrl,
} from '@cartae/marketplace-core';
import { isFresh } from './config/config-freshness.ts';
import { ConfigStore, type CurrentConfig } from './config/config-store.ts';
import { EventHub, type ResolverEvent, type ResolverListener } from './events.ts';
import { checkSource, configuredSources, type SourceCheck } from './health/check-sources.ts';
import { HealthBoard, type SourceHealthReport } from './health/health-board.ts';
import { ProbeScheduler } from './health/probe-scheduler.ts';
import { probesAfterEjection } from './health/source-health.ts';
import { generateInstallId } from './install-id.ts';
import {
  downloadPluginPackage,
  type PluginPackageOptions,
  type PluginPackageResult,
} from './registry/plugin-package.ts';
import { registryPath } from './registry/published-id.ts';
import { RegistryReader } from './registry/registry-reader.ts';
import type { RegistryResult } from './registry/registry-result.ts';
import { AttemptDeadlines } from './request/attempt-deadlines.ts';
import {
  type AttemptContext,
  type AttemptHandler,
  type AttemptVerdict,
  runAttempts,
} from './request/attempt-loop.ts';
import { type AttemptPlan, type AttemptStep, planAttempts } from './request/attempt-plan.ts';
import { type BodyProgress, readBoundedBody } from './request/bounded-body.ts';
import { entityTagOf, ifNoneMatch, isConditional } from './request/entity-tags.ts';
import { ResponseCache } from './request/response-cache.ts';
import {
  type MarketplaceSourceResolverOptions,
  type ResolvedOptions,
  resolveOptions,
} from './resolver-options.ts';
import { type ResolverStats, StatsCollector } from './stats/stats-collector.ts';
import { STORAGE_KEYS } from './storage/key-value-storage.ts';

/** What `getHealth()` returns: the config in use and every source's passive state. */
export interface ResolverHealth {
  readonly config: {
    readonly version: number | undefined;
    readonly origin: CurrentConfig['origin'];
    readonly fetchedAt: number;
    readonly stale: boolean;
    readonly type: string;
    readonly warnings: readonly string[];
  };
  readonly installBucket: number | undefined;
  readonly sources: readonly SourceHealthReport[];
}

interface Decision {
  readonly selection: SourceSelection;
  readonly generation: number;
  readonly config: CurrentConfig['config'];
  readonly validUntil: number;
  readonly plans: Map<string, AttemptPlan>;
}

/** Paths whose attempt plans a decision keeps (and routes the resolver keeps); beyond this, computed per call. */
const MAX_CACHED_PATHS = 1000;

/**
 * The client every Cartae app embeds: asks the control plane which marketplace source to use,
 * falls back between sources, tracks their health and never shows a broken marketplace while
 * one source is healthy.
 *
 * @example
 * const resolver = createMarketplaceSourceResolver({ supabase, urlPolicy: { allowedHosts: ['*.cartae.com', 'raw.githubusercontent.com'] } });
 * const url = await resolver.resolveUrl('api/plugins');
 * const result = await resolver.getRegistry();
 * if (result.ok) render(result.registry.plugins, { stale: result.stale });
 */
export class MarketplaceSourceResolver {
  private readonly options: ResolvedOptions;
  private readonly events = new EventHub();
  private readonly stats = new StatsCollector();
  private readonly health: HealthBoard;
  private readonly config: ConfigStore;
  private readonly probes: ProbeScheduler;
  private readonly registry: RegistryReader;
  private readonly responses = new ResponseCache();
  private readonly routes = new Map<string, LogicalRoute>();
  private readonly ctx: { -readonly [K in keyof AttemptContext]: AttemptContext[K] };
  /** `fetch()`'s handlers, built once: GETs keep ETag'd bodies to answer 304s; anything else passes through. */
  private readonly cachingHandler: AttemptHandler<Response>;
  private readonly passThroughHandler: AttemptHandler<Response> = {
    handle: (response) => ({ ok: true, value: response }),
  };
  private decision: Decision | undefined;
  private readyPromise: Promise<void> | undefined;
  private ready = false;
  private bucket: number | undefined;
  private disposed = false;
  private decisionTimer: unknown;

  constructor(options: MarketplaceSourceResolverOptions = {}) {
    this.options = resolveOptions(options);
    const { platform } = this.options;
    const emit = (event: ResolverEvent) => this.emit(event);
    this.probes = new ProbeScheduler(platform.clock, platform.random, (source) => this.probe(source));
    this.health = new HealthBoard(this.options.ejection, emit, (source, until, reason) => {
      if (!probesAfterEjection(reason)) return;
      if (this.options.probes && this.config.get().config.healthCheckEnabled && !this.disposed)
        this.probes.schedule(source, until);
    });
    this.config = new ConfigStore({
      providers: this.options.providers,
      platform,
      urlPolicy: this.options.urlPolicy,
      builtInConfig: this.options.builtInConfig,
      timeoutMs: this.options.configTimeoutMs,
      autoRefresh: this.options.autoRefresh,
      pollSeconds: this.options.configPollSeconds,
      emit,
    });
    this.ctx = {
      platform,
      health: this.health,
      stats: this.stats,
      usage: this.options.usage?.collector,
      emit,
      deadlines: new AttemptDeadlines(platform.clock, this.options.requestTimeoutMs, {
        stallMs: this.options.stallTimeoutMs,
        downloadMs: this.options.downloadTimeoutMs,
      }),
      plan: (config, route, path) => this.attemptPlan(config, route, path),
    };
    this.cachingHandler = {
      headersFor: (url) => {
        return ifNoneMatch(this.responses.get(url)?.etag);
      },
      handle: (response, source, url, _signal, body) => this.cachedOrKept(response, source, url, body),
    };
    this.registry = new RegistryReader(this.ctx, {
      urlPolicy: this.options.urlPolicy,
      trustedKeys: this.options.trustedKeys,
    });
  }

  /**
   * The URL to use for a logical path right now (`api/plugins`, `api/plugins/{id}`). No network
   * while the config is fresh. Rejects with a `route_unknown` MarketplaceError for unknown paths.
   */
  async resolveUrl(path: string): Promise<string> {
    // Hot path: the decision's plan while nothing that decides it has changed. No clock read and
    // no allocation: a timer on the injected clock drops the decision when it expires.
    const hot = this.decision;
    if (hot !== undefined && hot.generation === this.health.generation) {
      const first = hot.plans.get(path)?.steps[0]?.url;
      if (first?.ok) return first.value;
    }
    if (!this.ready) await this.whenReady();
    else this.refreshIfStale();
    const plan = this.attemptPlan(this.config.get().config, this.route(path), path);
    const first = (plan.steps[0] as AttemptStep).url;
    if (!first.ok) throw first.error;
    return first.value;
  }

  /**
   * `fetch` through the resolver: the best source first, the next one on a network error,
   * timeout, 5xx or rate limit; conditional requests answered from cache on 304. Resolves with the
   * first good response (or a 404 every source agreed on); rejects with a MarketplaceError
   * (`no_source_available`) when no source answered.
   */
  async fetch(path: string, init?: RequestInit): Promise<Response> {
    const route = this.route(path);
    if (!this.ready) await this.whenReady();
    else this.refreshIfStale();
    const { platform } = this.options;
    const started = platform.clock.now();
    // A GET without the caller's own If-None-Match is answered from our cache on 304.
    const cacheable =
      (init?.method === undefined || init.method.toUpperCase() === 'GET') && !isConditional(init?.headers);
    const outcome = await runAttempts<Response>(
      this.ctx,
      this.config.get().config,
      route,
      path,
      init,
      cacheable ? this.cachingHandler : this.passThroughHandler,
    );
    const done = platform.clock.now();
    this.stats.recordRequest({
      ms: done - started,
      fallback: outcome.ok && outcome.fallback,
      failed: !outcome.ok && !outcome.notFound,
    });
    if (outcome.ok) return outcome.value;
    if (outcome.notFound) return outcome.notFound;
    throw outcome.error;
  }

  /** A 304 answered from the cached body; a 2xx with an ETag kept for next time. */
  private cachedOrKept(
    response: Response,
    source: SourceKind,
    url: string,
    progress: BodyProgress,
  ): AttemptVerdict<Response> | Promise<AttemptVerdict<Response>> {
    if (response.status === 304) {
      const cached = this.responses.get(url);
      if (!cached)
        return {
          ok: false,
          error: new MarketplaceError(
            'source_http_error',
            `${source} answered 304 to an unconditional request`,
            {
              source,
            },
          ),
        };
      return {
        ok: true,
        value: new Response(cached.body, { status: cached.status, headers: [...cached.headers] }),
      };
    }
    const etag = entityTagOf(response);
    if (!etag) return { ok: true, value: response };
    // Read chunk by chunk so the deadline sees a slow body still arriving (body-limits.ts).
    return readBoundedBody(response, Number.POSITIVE_INFINITY, progress).then(
      (bytes): AttemptVerdict<Response> => {
        const body = (bytes as Uint8Array<ArrayBuffer>).buffer;
        const headers = [...response.headers.entries()];
        this.responses.set(url, { etag, status: response.status, body, headers });
        return { ok: true, value: new Response(body, { status: response.status, headers }) };
      },
    );
  }

  /**
   * The registry, validated and (when the app ships keys) verified, with where it came from.
   * Never throws: when every source fails it returns the last good copy marked `stale`, or an
   * error value when there is none.
   */
  async getRegistry(options: { signal?: AbortSignal } = {}): Promise<RegistryResult> {
    try {
      if (!this.ready) await this.whenReady();
      else this.refreshIfStale();
      const current = this.config.get();
      return await this.registry.read(current.config, current.version, options.signal);
    } catch (cause) {
      const error =
        cause instanceof MarketplaceError
          ? cause
          : new MarketplaceError('no_source_available', 'unexpected failure while reading the registry', {
              cause,
            });
      return { ok: false, error, configVersion: this.config.get().version };
    }
  }

  /**
   * Downloads a plugin's package (`downloadUrl` of its entry in the registry `getRegistry()`
   * gives) and checks it against the entry's `sha256`: with `trustedKeys`, the hash of a
   * registry a trusted key signed. Bounded (64 MiB and 60 s by default), the app's URL policy
   * applied, redirects included. Never throws.
   *
   * @example
   * const pkg = await resolver.downloadPluginPackage('kanban-board');
   * if (pkg.ok) install(pkg.bytes);
   * else if (pkg.reason === 'sha256_mismatch') report(pkg.error.message);
   */
  async downloadPluginPackage(id: string, options: PluginPackageOptions = {}): Promise<PluginPackageResult> {
    const registry = await this.getRegistry(options.signal ? { signal: options.signal } : {});
    const { platform, urlPolicy } = this.options;
    return downloadPluginPackage({ platform, urlPolicy }, registry, id, options);
  }

  /** Fetches the config now, bypassing the cache. */
  async reloadConfig(): Promise<CurrentConfig> {
    await this.whenReady();
    return this.config.reload();
  }

  /** The config in use, with its version and origin (built-in, persisted, provider). */
  async getConfig(): Promise<CurrentConfig> {
    await this.whenReady();
    return this.config.get();
  }

  /** Counters since start: the user's fields plus per-source detail. */
  getStats(): ResolverStats {
    return this.stats.snapshot();
  }

  /** Passive health of every source and the state of the config, without any network. */
  getHealth(): ResolverHealth {
    const now = this.options.platform.clock.now();
    const current = this.config.get();
    return {
      config: {
        version: current.version,
        origin: current.origin,
        fetchedAt: current.fetchedAt,
        stale:
          current.origin !== 'built-in' &&
          !isFresh({ fetchedAt: current.fetchedAt, ttlSeconds: current.config.cacheTtlSeconds }, now),
        type: current.config.type,
        warnings: current.warnings,
      },
      installBucket: this.bucket,
      sources: this.health.report(now),
    };
  }

  /** Actively checks every configured source (for the admin monitor). Ejected sources are not contacted early. */
  async checkHealth(): Promise<SourceCheck[]> {
    await this.whenReady();
    const { config } = this.config.get();
    return Promise.all(
      configuredSources(config).map((source) => checkSource(this.ctx, config, source, this.registry)),
    );
  }

  /** Listens to config changes, ejections, re-admissions, fallbacks and stale answers. Returns the unsubscribe function. */
  subscribe(listener: ResolverListener): () => void {
    return this.events.subscribe(listener);
  }

  /** Stops every timer and forgets listeners. The resolver must not be used afterwards. */
  dispose(): void {
    this.disposed = true;
    this.config.dispose();
    this.probes.dispose();
    this.events.clear();
    if (this.decisionTimer !== undefined) this.options.platform.clock.clearTimeout(this.decisionTimer);
    this.decision = undefined;
  }

  private emit(event: ResolverEvent): void {
    if (event.type === 'config-changed') this.decision = undefined;
    this.events.emit(event, (error) =>
      this.options.platform.logger('error', 'a marketplace event listener threw', { error: String(error) }),
    );
  }

  private route(path: string): LogicalRoute {
    let route = this.routes.get(path);
    if (route === undefined) {
      const parsed = parseLogicalPath(registryPath(path));
      if (!parsed.ok) throw parsed.error;
      route = parsed.value;
      if (this.routes.size < MAX_CACHED_PATHS) this.routes.set(path, route);
    }
    return route;
  }

  private whenReady(): Promise<void> {
    this.readyPromise ??= (async () => {
      const { storage } = this.options.platform;
      let installId = this.options.installId ?? (await storage.get(STORAGE_KEYS.installId));
      if (!installId) {
        installId = generateInstallId(this.options.platform.random);
        await storage.set(STORAGE_KEYS.installId, installId);
      }
      this.bucket = bucketOf(installId, DEFAULT_BUCKET_SALT);
      this.options.usage?.start({ installId, configVersion: () => this.config.get().version });
      await this.config.ready();
      this.ready = true;
    })();
    return this.readyPromise;
  }

  private refreshIfStale(): void {
    if (this.options.providers.length === 0) return;
    const current = this.config.get();
    const age = this.options.platform.clock.now() - current.fetchedAt;
    if (age >= current.config.cacheTtlSeconds * 1000) void this.config.ready();
  }

  private currentDecision(now: number): Decision {
    const config = this.config.get().config;
    if (this.decision?.config !== config) {
      this.health.followUrls(Object.fromEntries(SOURCE_KINDS.map((kind) => [kind, sourceUrl(config, kind)])));
    }
    const d = this.decision;
    if (d && d.generation === this.health.generation && d.config === config && now < d.validUntil) return d;
    const selection = selectSources({
      config,
      health: this.health.views(now),
      bucket: this.bucket ?? 0,
      now,
      lowRemainingThreshold: this.options.lowRemainingThreshold,
    });
    const current = this.config.get();
    // Cached until health changes, an ejection or quota runs out, or the config goes stale.
    const staleAt =
      this.options.providers.length === 0
        ? Number.POSITIVE_INFINITY
        : current.fetchedAt + current.config.cacheTtlSeconds * 1000;
    const decision: Decision = {
      selection,
      generation: this.health.generation,
      config,
      validUntil: Math.min(this.health.nextChangeAt(now), staleAt),
      plans: new Map(),
    };
    this.decision = decision;
    this.scheduleDecisionExpiry(decision, now);
    return decision;
  }

  /**
   * The attempts for a path, kept on the decision. Unlike resolveUrl's hot path this reads the
   * clock, so an ejection that has run out is seen even where timers fire late (background tabs).
   */
  private attemptPlan(config: CurrentConfig['config'], route: LogicalRoute, path: string): AttemptPlan {
    const decision = this.currentDecision(this.options.platform.clock.now());
    // A caller holding an older config (a read that started before a switch) plans afresh.
    if (decision.config !== config) return planAttempts(decision.selection, route, config);
    let plan = decision.plans.get(path);
    if (plan === undefined) {
      plan = planAttempts(decision.selection, route, config);
      if (decision.plans.size < MAX_CACHED_PATHS) decision.plans.set(path, plan);
    }
    return plan;
  }

  private scheduleDecisionExpiry(decision: Decision, now: number): void {
    const { clock } = this.options.platform;
    if (this.decisionTimer !== undefined) clock.clearTimeout(this.decisionTimer);
    this.decisionTimer = undefined;
    if (!Number.isFinite(decision.validUntil) || this.disposed) return;
    this.decisionTimer = clock.setTimeout(
      () => {
        this.decisionTimer = undefined;
        if (this.decision === decision) this.decision = undefined;
      },
      Math.max(0, decision.validUntil - now),
    );
  }

  private async probe(source: SourceKind): Promise<void> {
    if (this.disposed) return;
    const { config } = this.config.get();
    if (!config.healthCheckEnabled) return;
    await checkSource(this.ctx, config, source, this.registry);
  }
}
