import { cacheControl } from '../http/cache-control.ts';
import { type ConfigOutcome, isConfigOutcome } from './config-outcome.ts';

/**
 * The Workers Cache API holds GET /api/config outcomes for CONFIG_CACHE_SECONDS in each data
 * centre, failures included, so Supabase sees one request per data centre per period, not one per
 * app — and not one per app precisely when it is failing. Outcomes are stored as data and rendered
 * per request, so a stale copy's `Age` stays honest. (The Cache API does nothing on *.workers.dev
 * hosts; it works on a custom domain.) Never throws: a cache that fails is a cache miss.
 */
function cacheKey(supabaseUrl: string): Request {
  return new Request(
    `https://config-cache.cartae.internal/api/config?source=${encodeURIComponent(supabaseUrl)}`,
  );
}

function edgeCache(): Cache | undefined {
  return (globalThis as { caches?: { default?: Cache } }).caches?.default;
}

export async function matchCachedConfig(supabaseUrl: string): Promise<ConfigOutcome | undefined> {
  try {
    const cached = await edgeCache()?.match(cacheKey(supabaseUrl));
    if (cached === undefined) return undefined;
    const outcome: unknown = await cached.json();
    return isConfigOutcome(outcome) ? outcome : undefined;
  } catch {
    return undefined;
  }
}

/** Stores an outcome; the Cache API drops it after `ttlSeconds`. */
export async function putCachedConfig(
  supabaseUrl: string,
  outcome: ConfigOutcome,
  ttlSeconds: number,
): Promise<void> {
  try {
    await edgeCache()?.put(
      cacheKey(supabaseUrl),
      new Response(JSON.stringify(outcome), {
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': cacheControl({ maxAgeSeconds: ttlSeconds }),
        },
      }),
    );
  } catch {
    // A cache that cannot store only costs an extra control-plane request.
  }
}
