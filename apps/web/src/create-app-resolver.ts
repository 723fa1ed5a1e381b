import {
  createMarketplaceSourceResolver,
  type MarketplaceSourceResolver,
} from '@cartae/marketplace-resolver';
import type { AppSettings } from './app-settings.ts';
import { createLazySupabaseClient } from './lazy-supabase-client.ts';

/**
 * The page's one resolver: the Worker's config endpoint first, Supabase next, the built-in Git
 * registry until either answers. Config and registry persist in the browser (the resolver's
 * default: the registry in IndexedDB, small state in localStorage). With VITE_REGISTRY_TRUSTED_KEYS,
 * only registries signed by one of those keys are accepted (`trustedKeys`). Throws at once when a setting is unusable (say, an http URL without
 * VITE_ALLOW_LOOPBACK_HTTP=1, or unreadable trusted keys), with a message saying which.
 *
 * @example
 * const resolver = createAppResolver(readAppSettings(import.meta.env));
 */
export function createAppResolver(settings: AppSettings): MarketplaceSourceResolver {
  // Starting without the keys would show unverified registries in an app meant to verify them.
  if (settings.trustedKeysProblem !== undefined) throw new Error(settings.trustedKeysProblem);
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
    ...(settings.trustedKeys.length > 0 ? { trustedKeys: settings.trustedKeys } : {}),
  });
}
