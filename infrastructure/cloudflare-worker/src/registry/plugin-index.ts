import type { PluginEntry, RegistryDocument } from '@cartae/marketplace-core';
import type { RegistrySnapshot } from './registry-snapshot.ts';

/** Plugins by id for one snapshot, built once per snapshot and isolate. */
export type PluginIndex = ReadonlyMap<string, PluginEntry>;

const indexes = new WeakMap<ArrayBuffer, PluginIndex>();

/**
 * The registry document of a stored snapshot. The mirror validated (and, with trusted keys,
 * verified) these exact bytes before storing them, so this only parses; a signature is a file
 * of its own next to the registry, never a wrapper around it.
 */
function documentOf(snapshot: RegistrySnapshot): RegistryDocument {
  return JSON.parse(new TextDecoder().decode(snapshot.bytes)) as RegistryDocument;
}

/**
 * The plugins of a snapshot by id.
 *
 * @example
 * pluginIndexOf(snapshot).get('kanban'); // PluginEntry | undefined
 */
export function pluginIndexOf(snapshot: RegistrySnapshot): PluginIndex {
  const cached = indexes.get(snapshot.bytes);
  if (cached !== undefined) return cached;
  const plugins = documentOf(snapshot).plugins;
  // A snapshot stored by an earlier release may hold a signed envelope: no plugins to index.
  const index = new Map(Array.isArray(plugins) ? plugins.map((plugin) => [plugin.id, plugin] as const) : []);
  indexes.set(snapshot.bytes, index);
  return index;
}
