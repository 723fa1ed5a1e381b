import type { PluginEntry, RegistryDocument } from '@cartae/marketplace-core';
import { type PluginShard, pluginShardKey, pluginShardOf } from './plugin-shards.ts';
import type { RegistrySnapshot, RegistrySnapshotMeta } from './registry-snapshot.ts';

/**
 * Shards this isolate has parsed, by KV key (which names the registry's ETag, so a key's content
 * never changes). A handful at ~0.1 MB each; the oldest goes first.
 */
const shards = new Map<string, PluginShard>();
const MAX_REMEMBERED_SHARDS = 16;

/** The whole-registry index for a snapshot stored without shards (by an earlier release). */
let wholeIndex: { readonly etag: string; readonly index: ReadonlyMap<string, PluginEntry> } | undefined;

/** A shard from memory or KV; `undefined` when missing or unreadable (the caller falls back). */
async function readShard(kv: KVNamespace, key: string): Promise<PluginShard | undefined> {
  const remembered = shards.get(key);
  if (remembered !== undefined) return remembered;
  let shard: PluginShard;
  try {
    const text = await kv.get(key, 'text');
    if (text === null) return undefined;
    shard = JSON.parse(text) as PluginShard;
  } catch {
    return undefined;
  }
  if (shards.size >= MAX_REMEMBERED_SHARDS) shards.delete(shards.keys().next().value as string);
  shards.set(key, shard);
  return shard;
}

/**
 * Parses the whole registry once per version and isolate: only for snapshots the mirror stored
 * before it wrote shards, until the next version is mirrored. Keyed by ETag, not by the bytes'
 * identity, so re-reading the same snapshot from KV after an idle spell does not parse it again.
 */
function wholeIndexOf(snapshot: RegistrySnapshot): ReadonlyMap<string, PluginEntry> {
  if (wholeIndex?.etag === snapshot.meta.etag) return wholeIndex.index;
  const { plugins } = JSON.parse(new TextDecoder().decode(snapshot.bytes)) as RegistryDocument;
  // A snapshot stored by an earlier release may hold a signed envelope: no plugins to index.
  const index = new Map(Array.isArray(plugins) ? plugins.map((plugin) => [plugin.id, plugin] as const) : []);
  wholeIndex = { etag: snapshot.meta.etag, index };
  return index;
}

/** A plugin found, absent, or a registry that cannot be read right now. */
export type FoundPlugin =
  | { readonly ok: true; readonly plugin: PluginEntry | undefined }
  | { readonly ok: false; readonly message: string };

/**
 * One plugin of the registry `meta` describes, read from its shard (one small KV value, parsed
 * once per isolate); only when the snapshot has no shards (stored by an earlier release) or a shard
 * is missing, from the whole registry, which `loadSnapshot` reads.
 *
 * @example
 * await findPlugin(env.REGISTRY_KV, meta, 'kanban', () => currentRegistry(deps)); // { ok: true, plugin }
 */
export async function findPlugin(
  kv: KVNamespace,
  meta: RegistrySnapshotMeta,
  id: string,
  loadSnapshot: () => Promise<
    | { readonly ok: true; readonly snapshot: RegistrySnapshot }
    | { readonly ok: false; readonly message: string }
  >,
): Promise<FoundPlugin> {
  const { pluginShards, etag } = meta;
  if (pluginShards !== undefined) {
    const shard = await readShard(kv, pluginShardKey(etag, pluginShardOf(id, pluginShards)));
    if (shard !== undefined) return { ok: true, plugin: Object.hasOwn(shard, id) ? shard[id] : undefined };
  }
  const current = await loadSnapshot();
  if (!current.ok) return current;
  return { ok: true, plugin: wholeIndexOf(current.snapshot).get(id) };
}

/** Forgets every parsed shard and index (tests reset KV between cases). */
export function forgetPluginIndexes(): void {
  shards.clear();
  wholeIndex = undefined;
}
