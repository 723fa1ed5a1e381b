import { type AppContext, afterResponse } from '../app-env.ts';
import type { ConfigAnswer } from '../config/config-answer.ts';
import { matchCachedConfig, putCachedConfig } from '../config/config-edge-cache.ts';
import { fetchControlPlaneConfig } from '../config/fetch-control-plane-config.ts';
import { keepLastGoodConfig, readLastGoodConfig } from '../config/last-good-config.ts';
import { cacheControl } from '../http/cache-control.ts';
import { conditionalResponse } from '../http/conditional-response.ts';
import { ifNoneMatchMatches } from '../http/entity-tag.ts';
import { jsonError } from '../http/json-error.ts';
import { singleFlight } from '../single-flight.ts';

function configHeaders(answer: ConfigAnswer, cache: string): Record<string, string> & { etag: string } {
  return {
    'content-type': 'application/json; charset=utf-8',
    etag: answer.etag,
    'cache-control': cache,
    ...(answer.version === undefined ? {} : { 'x-config-version': String(answer.version) }),
  };
}

/** A cached answer, turned into a 304 when the client already holds it. */
function fromEdgeCache(request: Request, cached: Response): Response {
  const etag = cached.headers.get('etag');
  if (etag !== null && ifNoneMatchMatches(request.headers.get('if-none-match'), etag)) {
    const headers = new Headers(cached.headers);
    headers.delete('content-type');
    headers.delete('content-length');
    return new Response(null, { status: 304, headers });
  }
  return new Response(cached.body, cached);
}

/**
 * GET /api/config: the marketplace config from Supabase, cached at the edge for
 * CONFIG_CACHE_SECONDS. When Supabase fails or answers something a resolver could not use, the last
 * good copy from KV is served with `x-config-stale: 1` and its `age`; never an invalid document.
 */
export async function serveConfig(c: AppContext): Promise<Response> {
  const { settings, platform } = c.var;
  const supabaseUrl = c.env.SUPABASE_URL ?? '';
  const edgeCaching = settings.configCacheSeconds > 0 && supabaseUrl !== '';
  if (edgeCaching) {
    const cached = await matchCachedConfig(supabaseUrl);
    if (cached !== undefined) return fromEdgeCache(c.req.raw, cached);
  }
  // Requests that miss the cache together share one Supabase read: without this, a burst of
  // apps polling at the same moment would each reach the control plane.
  const fetched = await singleFlight(c.env.REGISTRY_KV, `config:${supabaseUrl}`, () =>
    fetchControlPlaneConfig({
      supabaseUrl: c.env.SUPABASE_URL,
      anonKey: c.env.SUPABASE_ANON_KEY,
      settings,
      platform,
    }),
  );
  if (fetched.ok) {
    const { answer } = fetched;
    const headers = configHeaders(answer, cacheControl({ maxAgeSeconds: settings.configCacheSeconds }));
    const work: Promise<unknown>[] = [keepLastGoodConfig(c.env.REGISTRY_KV, answer)];
    if (edgeCaching) work.push(putCachedConfig(supabaseUrl, new Response(answer.body, { headers })));
    await afterResponse(c, Promise.all(work));
    return conditionalResponse(c.req.raw, answer.body, headers);
  }
  platform.log('config_control_plane_failed', { reason: fetched.reason });
  const lastGood = await readLastGoodConfig(c.env.REGISTRY_KV);
  if (lastGood === undefined) {
    return jsonError(503, 'config_unavailable', `no config available: ${fetched.reason}; retry shortly`, {
      'retry-after': '15',
    });
  }
  const ageSeconds = Math.max(0, Math.floor((platform.now() - lastGood.fetchedAt) / 1000));
  return conditionalResponse(c.req.raw, lastGood.body, {
    ...configHeaders(lastGood, 'no-cache'),
    'x-config-stale': '1',
    age: String(ageSeconds),
  });
}
