import {
  type MarketplaceError,
  type MarketplaceSourceConfig,
  readMarketplaceConfig,
  type UrlPolicy,
} from '@cartae/marketplace-core';
import type { ConfigOrigin, ResolverEvent } from '../events.ts';
import type { Platform } from '../platform/platform.ts';
import { STORAGE_KEYS } from '../storage/key-value-storage.ts';
import { failedRefreshDelay, isFresh, nextRefreshDelay } from './config-freshness.ts';
import type { ConfigProvider } from './config-provider.ts';

/** What the store persists as last-known-good. The raw document is kept and re-read on load. */
interface PersistedConfig {
  readonly document: unknown;
  readonly version?: number;
  readonly updatedAt?: string;
  readonly fetchedAt: number;
  readonly provider: string;
}

export interface CurrentConfig {
  readonly config: MarketplaceSourceConfig;
  readonly version: number | undefined;
  readonly updatedAt: string | undefined;
  readonly origin: ConfigOrigin;
  /** When it was last obtained or confirmed by a provider; 0 for the built-in default. */
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
 * control plane is down or sends something this app can't use.
 */
export class ConfigStore {
  private current: CurrentConfig;
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
      void this.refresh();
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
    const persisted = await this.loadPersisted();
    if (persisted) {
      this.current = persisted;
      this.scheduleNext(isFresh(this.timing(), this.options.platform.clock.now()) ? undefined : 0);
      return;
    }
    if (this.options.providers.length > 0) await this.refresh(true);
  }

  private async loadPersisted(): Promise<CurrentConfig | undefined> {
    const text = await this.options.platform.storage.get(STORAGE_KEYS.config);
    if (text === undefined) return undefined;
    try {
      const saved = JSON.parse(text) as PersistedConfig;
      const read = readMarketplaceConfig(saved.document, this.options.urlPolicy);
      if (!read.ok || typeof saved.fetchedAt !== 'number') return undefined;
      return {
        config: read.value.config,
        version: saved.version,
        updatedAt: saved.updatedAt,
        origin: 'persisted',
        fetchedAt: saved.fetchedAt,
        warnings: read.value.warnings,
      };
    } catch {
      return undefined;
    }
  }

  private refresh(force = false): Promise<void> {
    if (this.disposed) return Promise.resolve();
    if (!force && isFresh(this.timing(), this.options.platform.clock.now())) return Promise.resolve();
    this.inflight ??= this.loadFromProviders().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async loadFromProviders(): Promise<void> {
    const { platform, providers, timeoutMs, urlPolicy, emit } = this.options;
    const errors: MarketplaceError[] = [];
    for (const provider of providers) {
      const etag = this.current.origin === 'built-in' ? undefined : this.etags.get(provider.name);
      const outcome = await provider.load({
        signal: AbortSignal.timeout(timeoutMs),
        fetch: platform.fetch,
        ...(etag ? { etag } : {}),
      });
      const now = platform.clock.now();
      if (outcome.kind === 'failed') {
        errors.push(outcome.error);
        continue;
      }
      if (outcome.kind === 'not-modified') {
        this.current = { ...this.current, fetchedAt: now };
        this.succeeded();
        return;
      }
      const read = readMarketplaceConfig(outcome.snapshot.document, urlPolicy);
      if (!read.ok) {
        // Invalid for this app: keep the last good config, and say so loudly.
        platform.logger('warn', read.error.message, { provider: provider.name });
        emit({ type: 'config-rejected', error: read.error, provider: provider.name });
        errors.push(read.error);
        continue;
      }
      if (outcome.etag) this.etags.set(provider.name, outcome.etag);
      this.adopt(read.value.config, read.value.warnings, outcome.snapshot, provider.name, now);
      this.succeeded();
      return;
    }
    this.failures++;
    if (errors.length > 0) {
      platform.logger('warn', 'could not refresh the marketplace config; keeping the current one', {
        errors: errors.map((e) => e.message),
      });
      emit({ type: 'config-refresh-failed', errors });
    }
    this.scheduleNext(
      failedRefreshDelay(this.failures, this.current.config.cacheTtlSeconds, platform.random()),
    );
  }

  private adopt(
    config: MarketplaceSourceConfig,
    warnings: readonly string[],
    snapshot: { document: unknown; version?: number; updatedAt?: string },
    provider: string,
    now: number,
  ): void {
    const previous = this.current;
    this.current = {
      config,
      version: snapshot.version,
      updatedAt: snapshot.updatedAt,
      origin: 'provider',
      fetchedAt: now,
      warnings,
    };
    const persisted: PersistedConfig = {
      document: snapshot.document,
      fetchedAt: now,
      provider,
      ...(snapshot.version === undefined ? {} : { version: snapshot.version }),
      ...(snapshot.updatedAt === undefined ? {} : { updatedAt: snapshot.updatedAt }),
    };
    void this.options.platform.storage.set(STORAGE_KEYS.config, JSON.stringify(persisted));
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

  private succeeded(): void {
    this.failures = 0;
    this.scheduleNext();
  }

  private scheduleNext(delayMs?: number): void {
    const { platform, autoRefresh, providers } = this.options;
    if (!autoRefresh || this.disposed || providers.length === 0) return;
    if (this.timer !== undefined) platform.clock.clearTimeout(this.timer);
    const ttl = this.current.config.cacheTtlSeconds;
    const every = this.options.pollSeconds === undefined ? ttl : Math.min(ttl, this.options.pollSeconds);
    const delay = delayMs ?? nextRefreshDelay(every, platform.random());
    this.timer = platform.clock.setTimeout(() => {
      this.timer = undefined;
      void this.refresh(true);
    }, delay);
  }
}
