import { createMarketplaceSourceResolver, silentLogger } from '@cartae/marketplace-resolver';
import { createClient } from '@supabase/supabase-js';
import { inject } from 'vitest';
import { MarketplaceConfigService } from '../../src/service/marketplace-config-service.ts';

export const stack = () => inject('adminStack');

/**
 * A real supabase-js client signed in as `who`, and the service and resolver the panel uses;
 * against the shared stand-in, or `where` (a test file's own, see automation-stand-in.ts).
 */
export async function signedInAs(
  who: { email: string; password: string },
  where: { supabaseUrl: string; anonKey: string } = stack(),
) {
  const { supabaseUrl, anonKey } = where;
  const supabase = createClient(supabaseUrl, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const { error } = await supabase.auth.signInWithPassword(who);
  if (error) throw error;
  const urlPolicy = { allowLoopbackHttp: true };
  const resolver = createMarketplaceSourceResolver({
    supabase,
    urlPolicy,
    autoRefresh: false,
    probes: false,
    platform: { logger: silentLogger },
  });
  const service = new MarketplaceConfigService(supabase, { urlPolicy, usage: resolver });
  return { supabase, service, resolver, urlPolicy };
}

/** Puts the fleet on Git at the good loopback source, as an admin would, and returns the version. */
export async function resetToGit(service: MarketplaceConfigService): Promise<number> {
  const { goodSourceUrl } = stack();
  const saved = await service.update(
    {
      type: 'git',
      priority: ['git'],
      gitUrl: `${goodSourceUrl}/registry.json`,
      cloudflareUrl: goodSourceUrl,
      canaryPercent: 100,
      cacheTtlSeconds: 300,
      healthCheckEnabled: true,
      fallbackOnError: true,
    },
    { reason: 'test reset' },
  );
  if (!saved.ok) throw new Error(saved.error.message);
  return saved.value.version;
}
