import { fnv1a32, type PluginEntry } from '@cartae/marketplace-core';

/**
 * Per-plugin answers prepared once per mirrored version. The mirror, which parses the registry
 * anyway to judge it, also stores its entries in KV split into shards of about this many bytes,
 * keyed by the snapshot's ETag; `GET /api/plugins/:id` then reads and parses one shard (~0.1 MB)
 * instead of the whole registry (3.6 MB at real size: 20-25 ms of CPU, twice the Free plan's 10 ms
 * per request, paid again by every new isolate). 3.6 MB makes 29 shards: 29 KV writes per new
 * registry version, nothing per request.
 */
export const PLUGIN_SHARD_BYTES = 128 * 1024;
/** Past this, more shards would cost more writes per version than they save per read. */
export const MAX_PLUGIN_SHARDS = 64;

/** One shard: entries by id. */
export type PluginShard = Readonly<Record<string, PluginEntry>>;

/**
 * How many shards a registry of `bytes` is split into.
 *
 * @example
 * pluginShardCount(3_660_000); // 28
 */
export function pluginShardCount(bytes: number): number {
  return Math.min(MAX_PLUGIN_SHARDS, Math.max(1, Math.ceil(bytes / PLUGIN_SHARD_BYTES)));
}

/**
 * The shard holding a plugin id: FNV-1a-32 of the id, modulo the number of shards.
 *
 * @example
 * pluginShardOf('dataview', 28); // 0..27
 */
export function pluginShardOf(id: string, shards: number): number {
  return fnv1a32(id) % shards;
}

/** The KV key of one shard of the registry whose bytes have this ETag. */
export function pluginShardKey(etag: string, shard: number): string {
  return `registry:plugins:${etag}:${shard}`;
}

/**
 * Splits entries into `shards` JSON texts, one per shard (a shard with no entry is `{}`).
 *
 * @example
 * splitPlugins(registry.plugins, 2); // ['{"kanban":{…}}', '{"dataview":{…}}']
 */
export function splitPlugins(plugins: readonly PluginEntry[], shards: number): string[] {
  const split: Record<string, PluginEntry>[] = Array.from({ length: shards }, () => ({}));
  for (const plugin of plugins) {
    (split[pluginShardOf(plugin.id, shards)] as Record<string, PluginEntry>)[plugin.id] = plugin;
  }
  return split.map((shard) => JSON.stringify(shard));
}

/**
 * Stores every shard of one registry version. Called by the mirror before the snapshot that names
 * them, so a reader never meets a snapshot whose shards are missing. Returns the shard count.
 */
export async function writePluginShards(
  kv: KVNamespace,
  etag: string,
  plugins: readonly PluginEntry[],
  bytes: number,
): Promise<number> {
  const shards = pluginShardCount(bytes);
  const texts = splitPlugins(plugins, shards);
  await Promise.all(texts.map((text, shard) => kv.put(pluginShardKey(etag, shard), text)));
  return shards;
}
