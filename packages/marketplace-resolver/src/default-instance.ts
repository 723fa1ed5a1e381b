import { MarketplaceSourceResolver } from './resolver.ts';
import type { MarketplaceSourceResolverOptions } from './resolver-options.ts';

/**
 * Creates a resolver. Each app normally has one.
 *
 * @example
 * const resolver = createMarketplaceSourceResolver({ configUrl: 'https://marketplace.cartae.com/api/config', supabase });
 */
export function createMarketplaceSourceResolver(
  options: MarketplaceSourceResolverOptions = {},
): MarketplaceSourceResolver {
  return new MarketplaceSourceResolver(options);
}

let defaultOptions: MarketplaceSourceResolverOptions = {};
let instance: MarketplaceSourceResolver | undefined;

/**
 * Sets the options of the default instance `marketplaceSourceResolver`. Call it once at start-up,
 * before first use; calling it later replaces the instance (the old one is disposed).
 *
 * @example
 * configureMarketplaceSourceResolver({ supabase: createClient(url, anonKey), platform: { storage: createLocalStorage() } });
 */
export function configureMarketplaceSourceResolver(options: MarketplaceSourceResolverOptions): void {
  defaultOptions = options;
  instance?.dispose();
  instance = undefined;
}

function current(): MarketplaceSourceResolver {
  instance ??= new MarketplaceSourceResolver(defaultOptions);
  return instance;
}

/**
 * The default instance, so the user's examples work as written:
 * `await marketplaceSourceResolver.resolveUrl('api/plugins')`, `reloadConfig()`, `getStats()`.
 * Created lazily with the options given to `configureMarketplaceSourceResolver`.
 */
export const marketplaceSourceResolver: Pick<
  MarketplaceSourceResolver,
  | 'resolveUrl'
  | 'fetch'
  | 'getRegistry'
  | 'reloadConfig'
  | 'getConfig'
  | 'getStats'
  | 'getHealth'
  | 'checkHealth'
  | 'subscribe'
  | 'dispose'
> = {
  resolveUrl: (path) => current().resolveUrl(path),
  fetch: (path, init) => current().fetch(path, init),
  getRegistry: (options) => current().getRegistry(options),
  reloadConfig: () => current().reloadConfig(),
  getConfig: () => current().getConfig(),
  getStats: () => current().getStats(),
  getHealth: () => current().getHealth(),
  checkHealth: () => current().checkHealth(),
  subscribe: (listener) => current().subscribe(listener),
  dispose: () => {
    instance?.dispose();
    instance = undefined;
  },
};
