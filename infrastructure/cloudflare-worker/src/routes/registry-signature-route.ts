import type { AppContext } from '../app-env.ts';
import { mirrorDependencies } from '../app-env.ts';
import { conditionalResponse } from '../http/conditional-response.ts';
import { jsonError } from '../http/json-error.ts';
import { currentRegistry } from '../registry/current-registry.ts';
import { registryHeaders } from './registry-route.ts';

/**
 * GET /api/plugins.sig: the detached signature file Git served next to the registry that
 * /api/plugins serves now (the same snapshot, so never another registry's), byte for byte, with
 * its own strong ETag (If-None-Match → 304) and the registry's caching. 404 when Git had none.
 */
export async function serveRegistrySignature(c: AppContext): Promise<Response> {
  const current = await currentRegistry(mirrorDependencies(c));
  if (!current.ok) return jsonError(503, 'registry_unavailable', current.message, { 'retry-after': '30' });
  const { signature, meta } = current.snapshot;
  if (signature === undefined || meta.signatureEtag === undefined) {
    return jsonError(
      404,
      'signature_not_found',
      `registry version ${meta.version} has no signature file: Git serves no registry.json.sig next to it`,
      { 'x-registry-version': String(meta.version) },
    );
  }
  return conditionalResponse(c.req.raw, signature, registryHeaders(meta, c.var.settings, meta.signatureEtag));
}
