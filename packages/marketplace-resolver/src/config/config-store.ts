import {
  type ConfigSnapshot,
  MarketplaceError,
  type MarketplaceSourceConfig,
  readMarketplaceConfig,
  type UrlPolicy,
} from '@cartae/marketplace-core';
import type { ConfigOrigin, ResolverEvent } from '../events.ts';
import type { Platform } from '../platform/platform.ts';
import { STORAGE_KEYS } from '../storage/key-value-storage.ts';
import { judgeConfigAnswer } from './config-adoption.ts';
import { failedRefreshDelay, isFresh, nextRefreshDelay } from './config-freshness.ts';
import type { ConfigLoadOutcome, ConfigProvider } from './config-provider.ts';
import { persistedConfigText, readPersistedConfig } from './persisted-config.ts';

type LoadedAnswer = Extract<ConfigLoadOutcome, { kind: 'loaded' }>;

export interface CurrentConfig {
  readonly config: MarketplaceSourceConfig;
  readonly version: number | undefined;
  readonly updatedAt: string | undefined;
  readonly origin: ConfigOrigin;
  /**
   * When a provider last answered fresh (obtained or confirmed it); 0 for the built-in default. A
   * stale copy (`x-config-stale`) never moves it: adopted, it keeps the time of the config it
   * replaced, so a copy adopted over the built-in default has 0 and counts as stale.
   */
  readonly fetchedAt: number;
  readonly warnings: readonly string[];
}

export interface ConfigStoreOptions {
  readonly providers: readonly ConfigProvider[];
  readonly platform: Platform;
  readonly urlPolicy: UrlPolicy;
  readonly builtInConfig: MarketplaceSourceConfig;
  /** Per-provider timeout, ms. */
  readonly timeoutMs: number;
  /** Refresh on a timer while the resolver lives (keeps idle apps current). */
  readonly autoRefresh: boolean;
  /** Longest wait between background refreshes, seconds, whatever the TTL (an edge endpoint is cheap to ask). */
  readonly pollSeconds?: number | undefined;
  readonly emit: (event: ResolverEvent) => void;
}

/**
 * Holds the config in use. Serves it without network while fresh; serves it stale while one
 * refresh runs in the background; persists every good config; keeps the last good one when the
 * control plane is down or sends something this app can't use. Versions never go backwards, and
 * a stale copy (served while the control plane fails) never renews the TTL: `config-adoption.ts`.
 */
export class ConfigStore {
  private current: CurrentConfig;
  /** The highest version this install has adopted; restored from the persisted config. */
  private highestVersion: number | undefined;
  /** After a failed or stale round, requests do not start another before this (the timer's delay). */
  private retryAt = 0;
  private readonly etags = new Map<string, string>();
  private inflight: Promise<void> | undefined;
  private initialised: Promise<void> | undefined;
  private timer: unknown;
  private failures = 0;
  private disposed = false;

  constructor(private readonly options: ConfigStoreOptions) {
    this.current = {
      config: options.builtInConfig,
      version: undefined,
      updatedAt: undefined,
      origin: 'built-in',
      fetchedAt: 0,
      warnings: [],
    };
  }

  /** The config in use right now, without waiting. */
  get(): CurrentConfig {
    return this.current;
  }

  /**
   * Resolves once a usable config is in hand: the persisted one at once (refreshing it in the
   * background if stale), otherwise the first answer from the control plane, otherwise the
   * built-in default. Later calls return immediately and trigger a background refresh when stale.
   */
  async ready(): Promise<CurrentConfig> {
    this.initialised ??= this.initialise();
    await this.initialised;
    if (this.options.providers.length > 0 && !isFresh(this.timing(), this.options.platform.clock.now())) {
      void this.refresh(false, true);
    }
    return this.current;
  }

  /** Fetches the config now, bypassing the cache (the user's `reloadConfig()`). */
  async reload(): Promise<CurrentConfig> {
    this.initialised ??= this.initialise();
    await this.initialised;
    await this.refresh(true);
    return this.current;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.options.platform.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private timing() {
    return { fetchedAt: this.current.fetchedAt, ttlSeconds: this.current.config.cacheTtlSeconds };
  }

  private async initialise(): Promise<void> {
    const { storage, clock } = this.options.platform;
    const restored = readPersistedConfig(await storage.get(STORAGE_KEYS.config), this.options.urlPolicy);
    // The floor holds even when this app can no longer use the document (say, a narrower allowlist).
    this.highestVersion = restored.highestVersion;
    if (restored.usable) {
      this.current = { ...restored.usable, origin: 'persisted' };
      this.scheduleNext(isFresh(this.timing(), clock.now()) ? undefined : 0);
      return;
    }
    if (this.options.providers.length > 0) await this.refresh(true);
  }

  /** @param background no caller waits on this round (so a usage report may ride on it) */
  private refresh(force = false, background = false): Promise<void> {
    if (this.disposed) return Promise.resolve();
    const now = this.options.platform.clock.now();
    // A request that finds the config stale while the control plane fails must not ask again at
    // once: every app doing so would turn an outage into a flood.
    if (!force && (isFresh(this.timing(), now) || now < this.retryAt)) return Promise.resolve();
    this.inflight ??= this.loadFromProviders(background).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async loadFromProviders(background: boolean): Promise<void> {
    const { platform, providers, timeoutMs } = this.options;
    const errors: MarketplaceError[] = [];
    for (const provider of providers) {
      const etag = this.current.origin === 'built-in' ? undefined : this.etags.get(provider.name);
      const outcome = await provider.load({
        signal: AbortSignal.timeout(timeoutMs),
        fetch: platform.fetch,
        background,
        ...(etag ? { etag } : {}),
      });
      if (outcome.kind === 'failed') {
        errors.push(outcome.error);
        continue;
      }
      // A stale answer ends the round too: the Worker answers for a failing control plane so that
      // the fleet does not go around it to Supabase, exactly when Supabase can least afford it.
      const fresh = outcome.stale !== true;
      if (outcome.kind === 'not-modified') {
        if (fresh) this.current = { ...this.current, fetchedAt: platform.clock.now() };
        this.answered(provider.name, fresh, errors);
        return;
      }
      if (this.consider(provider.name, outcome, errors)) {
        this.answered(provider.name, fresh, errors);
        return;
      }
    }
    this.failed(errors);
  }

  /**
   * Applies `judgeConfigAnswer` to one answer: adopts it, or keeps the newer config held. False
   * when the document is unusable for this app (refused loudly; the last good config stays).
   */
  private consider(provider: string, answer: LoadedAnswer, errors: MarketplaceError[]): boolean {
    const { platform, urlPolicy, emit } = this.options;
    const { version } = answer.snapshot;
    const judgement = judgeConfigAnswer({ version, stale: answer.stale === true }, this.highestVersion);
    const fetchedAt = judgement.fresh ? platform.clock.now() : this.current.fetchedAt;
    if (!judgement.adopt) {
      // Routine (an edge cache one poll behind, the Worker's stale copy), so logged, not an event.
      platform.logger('debug', 'kept the config: the answer is older than the version already adopted', {
        provider,
        version,
        adopted: this.highestVersion,
      });
      this.current = { ...this.current, fetchedAt };
      return true;
    }
    const read = readMarketplaceConfig(answer.snapshot.document, urlPolicy);
    if (!read.ok) {
      // Invalid for this app: keep the last good config, and say so loudly.
      platform.logger('warn', read.error.message, { provider });
      emit({ type: 'config-rejected', error: read.error, provider });
      errors.push(read.error);
      return false;
    }
    if (answer.etag) this.etags.set(provider, answer.etag);
    this.adopt(read.value.config, read.value.warnings, answer.snapshot, provider, fetchedAt);
    return true;
  }

  private adopt(
    config: MarketplaceSourceConfig,
    warnings: readonly string[],
    snapshot: ConfigSnapshot,
    provider: string,
    fetchedAt: number,
  ): void {
    const previous = this.current;
    this.current = {
      config,
      version: snapshot.version,
      updatedAt: snapshot.updatedAt,
      origin: 'provider',
      fetchedAt,
      warnings,
    };
    // Adopted, so not older: a version here is the new highest (none means none was held either).
    this.highestVersion = snapshot.version ?? this.highestVersion;
    void this.options.platform.storage.set(
      STORAGE_KEYS.config,
      persistedConfigText(snapshot, provider, fetchedAt),
    );
    const changed =
      previous.version !== snapshot.version || JSON.stringify(previous.config) !== JSON.stringify(config);
    if (changed) {
      this.options.emit({
        type: 'config-changed',
        config,
        version: snapshot.version,
        previousVersion: previous.version,
        origin: 'provider',
      });
    }
  }

  private failed(errors: readonly MarketplaceError[]): void {
    const { platform, emit } = this.options;
    this.failures++;
    if (errors.length > 0) {
      platform.logger('warn', 'could not refresh the marketplace config; keeping the current one', {
        errors: errors.map((e) => e.message),
      });
      emit({ type: 'config-refresh-failed', errors });
    }
    const delay = failedRefreshDelay(this.failures, this.current.config.cacheTtlSeconds, platform.random());
    this.retryAt = platform.clock.now() + delay;
    this.scheduleNext(delay);
  }

  /**
   * A provider answered: the next refresh comes at the usual pace. A stale answer renewed nothing,
   * so until then a request that finds the config stale does not ask again either (the edge would
   * only repeat itself), and the round is reported like a failed refresh.
   */
  private answered(provider: string, fresh: boolean, errors: readonly MarketplaceError[]): void {
    const { platform, emit } = this.options;
    this.failures = 0;
    const delay = nextRefreshDelay(this.pollSeconds(), platform.random());
    this.retryAt = fresh ? 0 : platform.clock.now() + delay;
    if (!fresh) {
      const stale = new MarketplaceError(
        'source_http_error',
        `config provider ${provider} answered a stale copy: the control plane is failing; the config is kept, not renewed, and asked for again later`,
      );
      platform.logger('info', stale.message);
      emit({ type: 'config-refresh-failed', errors: [...errors, stale] });
    }
    this.scheduleNext(delay);
  }

  /** Seconds between background refreshes: the TTL, or `pollSeconds` when shorter. */
  private pollSeconds(): number {
    const ttl = this.current.config.cacheTtlSeconds;
    return this.options.pollSeconds === undefined ? ttl : Math.min(ttl, this.options.pollSeconds);
  }

  private scheduleNext(delayMs?: number): void {
    const { platform, autoRefresh, providers } = this.options;
    if (!autoRefresh || this.disposed || providers.length === 0) return;
    if (this.timer !== undefined) platform.clock.clearTimeout(this.timer);
    const delay = delayMs ?? nextRefreshDelay(this.pollSeconds(), platform.random());
    this.timer = platform.clock.setTimeout(() => {
      this.timer = undefined;
      void this.refresh(true, true);
    }, delay);
  }
}
