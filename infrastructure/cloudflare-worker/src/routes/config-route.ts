import { type AppContext, afterResponse } from '../app-env.ts';
import { matchCachedConfig, putCachedConfig } from '../config/config-edge-cache.ts';
import type { ConfigOutcome } from '../config/config-outcome.ts';
import { configResponse } from '../config/config-response.ts';
import { fetchControlPlaneConfig } from '../config/fetch-control-plane-config.ts';
import { keepLastGoodConfig, readLastGoodConfig } from '../config/last-good-config.ts';
import { singleFlight } from '../single-flight.ts';

/** Asks the control plane; when it fails, falls back to the last good copy in KV. */
async function readConfigOutcome(c: AppContext): Promise<ConfigOutcome> {
  const { settings, platform } = c.var;
  const fetched = await fetchControlPlaneConfig({
    supabaseUrl: c.env.SUPABASE_URL,
    anonKey: c.env.SUPABASE_ANON_KEY,
    settings,
    platform,
  });
  if (fetched.ok) {
    await afterResponse(c, keepLastGoodConfig(c.env.REGISTRY_KV, fetched.answer));
    return { kind: 'fresh', answer: fetched.answer };
  }
  platform.log('config_control_plane_failed', { reason: fetched.reason });
  const lastGood = await readLastGoodConfig(c.env.REGISTRY_KV);
  return lastGood === undefined
    ? { kind: 'unavailable', reason: fetched.reason }
    : { kind: 'stale', answer: lastGood, reason: fetched.reason };
}

/**
 * This data centre's outcome: the edge cache's while it holds one, else a new one, stored there
 * for CONFIG_CACHE_SECONDS whatever it is. Caching failures too keeps a failing control plane from
 * being asked more often than a healthy one, exactly when it can least afford it.
 */
async function currentOutcome(c: AppContext, supabaseUrl: string): Promise<ConfigOutcome> {
  const cacheSeconds = c.var.settings.configCacheSeconds;
  const edgeCaching = cacheSeconds > 0 && supabaseUrl !== '';
  if (edgeCaching) {
    const cached = await matchCachedConfig(supabaseUrl);
    if (cached !== undefined) return cached;
  }
  const outcome = await readConfigOutcome(c);
  // Stored before the shared look-up ends: a request arriving after it then finds the entry.
  if (edgeCaching) await putCachedConfig(supabaseUrl, outcome, cacheSeconds);
  return outcome;
}

/**
 * GET /api/config: the marketplace config from Supabase, cached at the edge for
 * CONFIG_CACHE_SECONDS. When Supabase fails or answers something a resolver could not use, the last
 * good copy from KV is served with `x-config-stale: 1` and its `age` (503 when there is none);
 * never an invalid document. Failures are cached at the edge like successes.
 */
export async function serveConfig(c: AppContext): Promise<Response> {
  const { settings, platform } = c.var;
  const supabaseUrl = c.env.SUPABASE_URL ?? '';
  // Requests in this isolate share one look-up (edge cache, then control plane): without this, a
  // burst of apps polling at the same moment would each reach the control plane.
  const outcome = await singleFlight(c.env.REGISTRY_KV, `config:${supabaseUrl}`, () =>
    currentOutcome(c, supabaseUrl),
  );
  return configResponse(c.req.raw, outcome, settings.configCacheSeconds, platform.now());
}
