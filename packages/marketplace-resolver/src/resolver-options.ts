import {
  DEFAULT_MARKETPLACE_CONFIG,
  type MarketplaceSourceConfig,
  readMarketplaceConfig,
  type TrustedRegistryKey,
  type UrlPolicy,
} from '@cartae/marketplace-core';
import type { ConfigProvider } from './config/config-provider.ts';
import { httpConfigProvider } from './config/http-config-provider.ts';
import { createSupabaseConfigProvider, type SupabaseRpcClient } from './config/supabase-config-provider.ts';
import { DEFAULT_EJECTION_POLICY, type EjectionPolicy } from './health/ejection-policy.ts';
import { consoleLogger, type Platform, systemClock } from './platform/platform.ts';
import { DEFAULT_DOWNLOAD_TIMEOUT_MS } from './request/body-limits.ts';
import { createBrowserStorage } from './storage/browser-storage.ts';
import { createLocalStorage } from './storage/local-storage.ts';
import { createMemoryStorage } from './storage/memory-storage.ts';
import { createNodeStateStorage } from './storage/node-state-storage.ts';
import { UsageReporter } from './telemetry/usage-reporter.ts';

export interface MarketplaceSourceResolverOptions {
  /** A `supabase-js` client: the config is read with `rpc('get_marketplace_config')`. */
  readonly supabase?: SupabaseRpcClient;
  /** An HTTP config endpoint, typically the Worker's `https://…/api/config` (edge-cached). Tried first. */
  readonly configUrl?: string;
  /** Custom config providers, tried after `configUrl` and `supabase`. */
  readonly providers?: readonly ConfigProvider[];
  /**
   * The config used before any was ever obtained — the app's built-in default (Git). A raw
   * `marketplace_source` document; unspecified fields take the defaults.
   */
  readonly defaultConfig?: Record<string, unknown>;
  /** Which URLs this app will ever fetch. Built into the app; the control plane cannot widen it. */
  readonly urlPolicy?: UrlPolicy;
  /** Registry signing keys shipped in the app. When set, only signed, unexpired, non-rolled-back registries are accepted. */
  readonly trustedKeys?: readonly TrustedRegistryKey[];
  /** Injected world; anything left out takes the default for the current runtime. */
  readonly platform?: Partial<Platform>;
  /**
   * How long a source has to start answering (its response headers), ms. Default 8000. It does
   * not bound the body: a download that keeps arriving is not cut for being slow (see
   * `stallTimeoutMs`, `downloadTimeoutMs` and the README's "Timeouts").
   */
  readonly requestTimeoutMs?: number;
  /** While a body is read, the longest silence (no bytes) before the attempt is cut, ms. Default `requestTimeoutMs`. */
  readonly stallTimeoutMs?: number;
  /**
   * The ceiling on a whole attempt, body included, ms: bounds a source that trickles bytes.
   * Default 300000 (five minutes: four times a 3.67 MB registry at 400 kbps uncompressed).
   */
  readonly downloadTimeoutMs?: number;
  /** Per-provider timeout for config requests, ms. Default 4000. */
  readonly configTimeoutMs?: number;
  readonly ejection?: Partial<EjectionPolicy>;
  /** A source with this many requests left in its quota or fewer is tried after the others. Default 5. */
  readonly lowRemainingThreshold?: number;
  /** Refresh the config on a jittered timer while alive. Default true. */
  readonly autoRefresh?: boolean;
  /**
   * While alive, ask for the config at least this often, seconds, even when its TTL is longer:
   * how fast a running app follows a switch. Default 15 when `configUrl` (the Worker's edge-cached
   * endpoint, where a refresh is a cheap 304) is set; otherwise the config's TTL alone.
   */
  readonly configPollSeconds?: number;
  /** Actively probe an ejected source when its ejection ends (if the config enables health checks). Default true. */
  readonly probes?: boolean;
  /** Stable id of this install; generated and persisted when absent. */
  readonly installId?: string;
  /**
   * Anonymous, bounded usage reports (per source and minute: requests, errors by kind, fallbacks,
   * latency; the config version), carried by the config polls the app makes anyway to `configUrl`.
   * Default: on when `configUrl` is set (off otherwise). `false` opts out. See the README's
   * Telemetry section for what is sent and what never is.
   */
  readonly telemetry?: boolean;
}

/** How often a running app asks the edge config endpoint by default, seconds. */
export const DEFAULT_EDGE_CONFIG_POLL_SECONDS = 15;

export interface ResolvedOptions {
  readonly providers: readonly ConfigProvider[];
  readonly builtInConfig: MarketplaceSourceConfig;
  readonly urlPolicy: UrlPolicy;
  readonly trustedKeys: readonly TrustedRegistryKey[];
  readonly platform: Platform;
  readonly requestTimeoutMs: number;
  readonly stallTimeoutMs: number;
  readonly downloadTimeoutMs: number;
  readonly configTimeoutMs: number;
  readonly ejection: EjectionPolicy;
  readonly lowRemainingThreshold: number;
  readonly autoRefresh: boolean;
  readonly configPollSeconds: number | undefined;
  readonly probes: boolean;
  readonly installId: string | undefined;
  /** Fleet telemetry, when on: fed by the request path, emptied by the `configUrl` provider's polls. */
  readonly usage: UsageReporter | undefined;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new TypeError(
      `MarketplaceSourceResolver: ${name} must be a positive number of milliseconds, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * In browsers, the registry in IndexedDB and small state in localStorage (`createBrowserStorage`),
 * or localStorage alone where there is no IndexedDB; on Node, files in the platform's state folder (loaded on first use, so
 * browser and workerd bundles never load Node's modules); memory elsewhere. Node without a DOM is
 * recognised first: from Node 25 on, merely reading `globalThis.localStorage` prints an
 * ExperimentalWarning in the embedding app when no `--localstorage-file` is given.
 */
function defaultStorage() {
  const runtime = globalThis as {
    process?: { versions?: { node?: unknown } };
    window?: unknown;
    localStorage?: unknown;
    navigator?: { userAgent?: unknown };
  };
  const nodeWithoutDom = typeof runtime.process?.versions?.node === 'string' && runtime.window === undefined;
  if (nodeWithoutDom) {
    // workerd reports a Node version under nodejs_compat, but has no disk that outlives a request.
    const workerd = runtime.navigator?.userAgent === 'Cloudflare-Workers';
    return workerd ? createMemoryStorage() : createNodeStateStorage();
  }
  if (typeof runtime.localStorage !== 'object') return createMemoryStorage();
  return typeof (globalThis as { indexedDB?: unknown }).indexedDB === 'object'
    ? createBrowserStorage()
    : createLocalStorage();
}

/** Checks construction options and fills defaults. Throws at once, saying how to fix them. */
export function resolveOptions(options: MarketplaceSourceResolverOptions): ResolvedOptions {
  const urlPolicy = options.urlPolicy ?? {};
  // Looked up at call time, so a fetch patched or installed after the resolver was built is used.
  const fallbackFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);
  const platform: Platform = {
    fetch: options.platform?.fetch ?? fallbackFetch,
    storage: options.platform?.storage ?? defaultStorage(),
    clock: options.platform?.clock ?? systemClock,
    random: options.platform?.random ?? Math.random,
    logger: options.platform?.logger ?? consoleLogger,
  };
  if (options.telemetry === true && options.configUrl === undefined) {
    throw new TypeError(
      'MarketplaceSourceResolver: telemetry rides on the polls of configUrl (the edge config endpoint); set configUrl, or leave telemetry unset',
    );
  }
  const usage =
    options.configUrl !== undefined && options.telemetry !== false
      ? new UsageReporter(platform.clock)
      : undefined;
  const providers: ConfigProvider[] = [];
  if (options.configUrl !== undefined)
    providers.push(
      httpConfigProvider(options.configUrl, { urlPolicy, ...(usage ? { reports: usage } : {}) }),
    );
  if (options.supabase !== undefined) {
    if (typeof options.supabase.rpc !== 'function') {
      throw new TypeError(
        'MarketplaceSourceResolver: supabase must be a supabase-js client (createClient(url, anonKey))',
      );
    }
    providers.push(createSupabaseConfigProvider(options.supabase));
  }
  providers.push(...(options.providers ?? []));

  let builtInConfig = DEFAULT_MARKETPLACE_CONFIG;
  if (options.defaultConfig !== undefined) {
    const read = readMarketplaceConfig(
      { ...DEFAULT_MARKETPLACE_CONFIG, ...options.defaultConfig },
      urlPolicy,
    );
    if (!read.ok)
      throw new TypeError(`MarketplaceSourceResolver: defaultConfig is not usable: ${read.error.message}`);
    builtInConfig = read.value.config;
  }
  const requestTimeoutMs = positive('requestTimeoutMs', options.requestTimeoutMs, 8000);
  const threshold = options.lowRemainingThreshold ?? 5;
  if (!Number.isInteger(threshold) || threshold < 0) {
    throw new TypeError('MarketplaceSourceResolver: lowRemainingThreshold must be a whole number ≥ 0');
  }
  return {
    providers,
    builtInConfig,
    urlPolicy,
    trustedKeys: options.trustedKeys ?? [],
    platform,
    requestTimeoutMs,
    stallTimeoutMs: positive('stallTimeoutMs', options.stallTimeoutMs, requestTimeoutMs),
    downloadTimeoutMs: positive('downloadTimeoutMs', options.downloadTimeoutMs, DEFAULT_DOWNLOAD_TIMEOUT_MS),
    configTimeoutMs: positive('configTimeoutMs', options.configTimeoutMs, 4000),
    ejection: { ...DEFAULT_EJECTION_POLICY, ...options.ejection },
    lowRemainingThreshold: threshold,
    autoRefresh: options.autoRefresh ?? true,
    configPollSeconds:
      options.configPollSeconds !== undefined
        ? positive('configPollSeconds', options.configPollSeconds, 15)
        : options.configUrl
          ? DEFAULT_EDGE_CONFIG_POLL_SECONDS
          : undefined,
    probes: options.probes ?? true,
    installId: options.installId,
    usage,
  };
}
