import type { RegistrySnapshot, RegistrySnapshotMeta } from './registry-snapshot.ts';

/** KV keys: the current snapshot, and every version ever mirrored (for audits and rollbacks). */
export const CURRENT_REGISTRY_KEY = 'registry:current';
export const registryVersionKey = (version: number): string => `registry:version:${version}`;
/** The current snapshot's metadata on its own (see `readCurrentMeta`). */
export const CURRENT_META_KEY = 'registry:current:meta';

function isSnapshotMeta(value: unknown): value is RegistrySnapshotMeta {
  if (typeof value !== 'object' || value === null) return false;
  const meta = value as Record<string, unknown>;
  return (
    typeof meta.version === 'number' &&
    typeof meta.etag === 'string' &&
    typeof meta.storedAt === 'number' &&
    typeof meta.size === 'number' &&
    (meta.signatureSize === undefined || typeof meta.signatureSize === 'number') &&
    (meta.pluginShards === undefined || typeof meta.pluginShards === 'number')
  );
}

/**
 * One KV value per snapshot: the registry bytes, then the signature file's bytes when there is
 * one. A single `put` stores both, so no reader ever sees a registry with another one's signature.
 */
function packSnapshot(snapshot: RegistrySnapshot): ArrayBuffer {
  if (snapshot.signature === undefined) return snapshot.bytes;
  const signature = new TextEncoder().encode(snapshot.signature);
  const packed = new Uint8Array(snapshot.bytes.byteLength + signature.byteLength);
  packed.set(new Uint8Array(snapshot.bytes), 0);
  packed.set(signature, snapshot.bytes.byteLength);
  return packed.buffer;
}

function unpackSnapshot(value: ArrayBuffer, meta: RegistrySnapshotMeta): RegistrySnapshot | undefined {
  // Snapshots stored before signatures were mirrored hold the registry bytes alone.
  const signatureSize = meta.signatureSize ?? 0;
  if (value.byteLength !== meta.size + signatureSize) return undefined;
  if (meta.signatureSize === undefined) return { bytes: value, meta };
  const signature = new TextDecoder().decode(new Uint8Array(value, meta.size));
  return { bytes: value.slice(0, meta.size), signature, meta };
}

/** Reads the current snapshot from KV; `undefined` when there is none or it is unreadable. */
export async function readCurrentSnapshot(kv: KVNamespace): Promise<RegistrySnapshot | undefined> {
  const stored = await kv.getWithMetadata<unknown>(CURRENT_REGISTRY_KEY, { type: 'arrayBuffer' });
  if (stored.value === null || !isSnapshotMeta(stored.metadata)) return undefined;
  return unpackSnapshot(stored.value, stored.metadata);
}

/**
 * The current snapshot's metadata alone (a small JSON value written with it), so
 * `GET /api/plugins/:id` learns the version, ETag and shards without reading 3.6 MB of registry.
 * `undefined` when there is none (a snapshot stored by an earlier release) or it is unreadable.
 */
export async function readCurrentMeta(kv: KVNamespace): Promise<RegistrySnapshotMeta | undefined> {
  const meta = await kv.get<unknown>(CURRENT_META_KEY, 'json');
  return isSnapshotMeta(meta) ? meta : undefined;
}

/**
 * Stores the snapshot under its version, then as current (so `current` never names a missing
 * version), then its metadata on its own (which names shards written before all three).
 */
export async function writeSnapshot(kv: KVNamespace, snapshot: RegistrySnapshot): Promise<void> {
  const value = packSnapshot(snapshot);
  await kv.put(registryVersionKey(snapshot.meta.version), value, { metadata: snapshot.meta });
  await kv.put(CURRENT_REGISTRY_KEY, value, { metadata: snapshot.meta });
  await kv.put(CURRENT_META_KEY, JSON.stringify(snapshot.meta));
}
