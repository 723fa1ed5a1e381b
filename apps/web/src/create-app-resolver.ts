import {
  createMarketplaceSourceResolver,
  type MarketplaceSourceResolver,
} from '@cartae/marketplace-resolver';
import type { AppSettings } from './app-settings.ts';
import { createLazySupabaseClient } from './lazy-supabase-client.ts';

/**
 * The page's one resolver: the Worker's config endpoint first, Supabase next, the built-in Git
 * registry until either answers. Config and registry persist in localStorage (the resolver's
 * browser default). Throws at once when a setting is unusable (say, an http URL without
 * VITE_ALLOW_LOOPBACK_HTTP=1), with a message saying which.
 *
 * @example
 * const resolver = createAppResolver(readAppSettings(import.meta.env));
 */
export function createAppResolver(settings: AppSettings): MarketplaceSourceResolver {
  const urlPolicy = {
    allowLoopbackHttp: settings.allowLoopbackHttp,
    ...(settings.allowedHosts.length > 0 ? { allowedHosts: settings.allowedHosts } : {}),
  };
  return createMarketplaceSourceResolver({
    ...(settings.configUrl ? { configUrl: settings.configUrl } : {}),
    ...(settings.supabase
      ? { supabase: createLazySupabaseClient(settings.supabase.url, settings.supabase.anonKey) }
      : {}),
    ...(settings.defaultGitUrl
      ? { defaultConfig: { type: 'git', priority: ['git'], gitUrl: settings.defaultGitUrl } }
      : {}),
    urlPolicy,
  });
}
