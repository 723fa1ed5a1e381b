import type { AppContext } from '../app-env.ts';
import { mirrorDependencies } from '../app-env.ts';
import { cacheControl } from '../http/cache-control.ts';
import { conditionalResponse } from '../http/conditional-response.ts';
import { jsonError } from '../http/json-error.ts';
import { currentRegistry } from '../registry/current-registry.ts';
import type { RegistrySnapshotMeta } from '../registry/registry-snapshot.ts';
import type { WorkerSettings } from '../worker-settings.ts';

/** Headers every registry answer carries: validators, caching, and the version for humans. */
export function registryHeaders(meta: RegistrySnapshotMeta, settings: WorkerSettings, etag = meta.etag) {
  return {
    'content-type': 'application/json; charset=utf-8',
    etag,
    'last-modified': new Date(meta.storedAt).toUTCString(),
    'cache-control': cacheControl({
      maxAgeSeconds: settings.registryMaxAgeSeconds,
      staleWhileRevalidateSeconds: settings.registryStaleWhileRevalidateSeconds,
      staleIfErrorSeconds: settings.registryStaleIfErrorSeconds,
    }),
    'x-registry-version': String(meta.version),
  };
}

/** GET /api/plugins: the exact bytes Git served for the current registry version. */
export async function serveRegistry(c: AppContext): Promise<Response> {
  const current = await currentRegistry(mirrorDependencies(c));
  if (!current.ok) return jsonError(503, 'registry_unavailable', current.message, { 'retry-after': '30' });
  const { bytes, meta } = current.snapshot;
  return conditionalResponse(c.req.raw, bytes, registryHeaders(meta, c.var.settings));
}
