import { PLUGIN_ID_PATTERN } from '@cartae/marketplace-core';
import type { AppContext } from '../app-env.ts';
import { mirrorDependencies } from '../app-env.ts';
import { conditionalResponse } from '../http/conditional-response.ts';
import { jsonError } from '../http/json-error.ts';
import { currentRegistry } from '../registry/current-registry.ts';
import { pluginIndexOf } from '../registry/plugin-index.ts';
import { registryHeaders } from './registry-route.ts';

/** GET /api/plugins/:id: one plugin entry of the current registry. */
export async function servePlugin(c: AppContext): Promise<Response> {
  const id = c.req.param('id') ?? '';
  if (!PLUGIN_ID_PATTERN.test(id)) {
    return jsonError(
      400,
      'invalid_plugin_id',
      'a plugin id is 1-100 lowercase letters, digits, ".", "_" or "-", starting and ending with a letter or digit',
    );
  }
  const current = await currentRegistry(mirrorDependencies(c));
  if (!current.ok) return jsonError(503, 'registry_unavailable', current.message, { 'retry-after': '30' });
  const { meta } = current.snapshot;
  const plugin = pluginIndexOf(current.snapshot).get(id);
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
