/**
 * The Workers Cache API holds GET /api/config answers for CONFIG_CACHE_SECONDS in each data
 * centre, so Supabase sees one request per data centre per period, not one per app. (The Cache API
 * does nothing on *.workers.dev hosts; it works on a custom domain.) Never throws: a cache that
 * fails is a cache miss.
 */
function cacheKey(supabaseUrl: string): Request {
  return new Request(
    `https://config-cache.cartae.internal/api/config?source=${encodeURIComponent(supabaseUrl)}`,
  );
}

function edgeCache(): Cache | undefined {
  return (globalThis as { caches?: { default?: Cache } }).caches?.default;
}

export async function matchCachedConfig(supabaseUrl: string): Promise<Response | undefined> {
  try {
    return (await edgeCache()?.match(cacheKey(supabaseUrl))) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Stores a fresh answer; the Cache API drops it after the `max-age` in its Cache-Control. */
export async function putCachedConfig(supabaseUrl: string, response: Response): Promise<void> {
  try {
    await edgeCache()?.put(cacheKey(supabaseUrl), response);
  } catch {
    // A cache that cannot store only costs an extra control-plane request.
  }
}
