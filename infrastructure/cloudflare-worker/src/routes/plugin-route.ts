import { PLUGIN_ID_PATTERN } from '@cartae/marketplace-core';
import type { AppContext } from '../app-env.ts';
import { mirrorDependencies } from '../app-env.ts';
import { conditionalResponse } from '../http/conditional-response.ts';
import { jsonError } from '../http/json-error.ts';
import { currentRegistry, currentRegistryMeta } from '../registry/current-registry.ts';
import { findPlugin } from '../registry/plugin-index.ts';
import { registryHeaders } from './registry-route.ts';

/**
 * GET /api/plugins/:id: one plugin entry of the current registry, read from the per-plugin shard
 * the mirror prepared for this version (`plugin-shards.ts`): the snapshot's metadata without its
 * bytes, then one small KV read and parse; never a parse of the whole registry per request or per
 * new isolate.
 */
export async function servePlugin(c: AppContext): Promise<Response> {
  const id = c.req.param('id') ?? '';
  if (!PLUGIN_ID_PATTERN.test(id)) {
    return jsonError(
      400,
      'invalid_plugin_id',
      'a plugin id is 1-100 lowercase letters, digits, ".", "_" or "-", starting and ending with a letter or digit',
    );
  }
  const deps = mirrorDependencies(c);
  const unavailable = (message: string) =>
    jsonError(503, 'registry_unavailable', message, { 'retry-after': '30' });
  const current = await currentRegistryMeta(deps);
  if (!current.ok) return unavailable(current.message);
  const { meta } = current;
  const found = await findPlugin(deps.kv, meta, id, () => currentRegistry(deps));
  if (!found.ok) return unavailable(found.message);
  const { plugin } = found;
  if (plugin === undefined) {
    return jsonError(404, 'plugin_not_found', `no plugin "${id}" in registry version ${meta.version}`, {
      'x-registry-version': String(meta.version),
    });
  }
  // The entry is determined by the registry bytes and the id, so this tag is as strong as theirs.
  const etag = `${meta.etag.slice(0, -1)}-${id}"`;
  return conditionalResponse(
    c.req.raw,
    `${JSON.stringify(plugin)}\n`,
    registryHeaders(meta, c.var.settings, etag),
  );
}
