/**
 * @cartae/marketplace-resolver — the client every Cartae app embeds. Runtime-free: browser,
 * Node and Workers. Node-only helpers (file storage) live in `@cartae/marketplace-resolver/node`.
 */
export type { ConfigLoadContext, ConfigLoadOutcome, ConfigProvider } from './config/config-provider.ts';
export type { CurrentConfig } from './config/config-store.ts';
export { createHttpConfigProvider, type HttpConfigProviderOptions } from './config/http-config-provider.ts';
export { createSupabaseConfigProvider, type SupabaseRpcClient } from './config/supabase-config-provider.ts';
export {
  configureMarketplaceSourceResolver,
  createMarketplaceSourceResolver,
  marketplaceSourceResolver,
} from './default-instance.ts';
export type { ConfigOrigin, ResolverEvent, ResolverListener } from './events.ts';
export type { SourceCheck } from './health/check-sources.ts';
export { DEFAULT_EJECTION_POLICY, type EjectionPolicy } from './health/ejection-policy.ts';
export type { SourceHealthReport } from './health/health-board.ts';
export type { RateLimitSnapshot, SourceHealthState } from './health/source-health.ts';
export {
  type Clock,
  consoleLogger,
  type Logger,
  type LogLevel,
  type Platform,
  silentLogger,
  systemClock,
} from './platform/platform.ts';
export type {
  PluginPackageFailure,
  PluginPackageOptions,
  PluginPackageResult,
} from './registry/plugin-package.ts';
export type { RegistryResult } from './registry/registry-result.ts';
export { MarketplaceSourceResolver, type ResolverHealth } from './resolver.ts';
export type { MarketplaceSourceResolverOptions } from './resolver-options.ts';
export type { ResolverStats, SourceStats } from './stats/stats-collector.ts';
export { createBrowserStorage } from './storage/browser-storage.ts';
export { createIndexedDbStorage } from './storage/indexed-db-storage.ts';
export type { KeyValueStorage, StorageWriteFailure } from './storage/key-value-storage.ts';
export { createLocalStorage } from './storage/local-storage.ts';
export { createMemoryStorage } from './storage/memory-storage.ts';
