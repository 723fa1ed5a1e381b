import type { RegistrySnapshot, RegistrySnapshotMeta } from './registry-snapshot.ts';

/** KV keys: the current snapshot, and every version ever mirrored (for audits and rollbacks). */
export const CURRENT_REGISTRY_KEY = 'registry:current';
export const registryVersionKey = (version: number): string => `registry:version:${version}`;

function isSnapshotMeta(value: unknown): value is RegistrySnapshotMeta {
  if (typeof value !== 'object' || value === null) return false;
  const meta = value as Record<string, unknown>;
  return (
    typeof meta.version === 'number' && typeof meta.etag === 'string' && typeof meta.storedAt === 'number'
  );
}

/** Reads the current snapshot from KV; `undefined` when there is none or it is unreadable. */
export async function readCurrentSnapshot(kv: KVNamespace): Promise<RegistrySnapshot | undefined> {
  const stored = await kv.getWithMetadata<unknown>(CURRENT_REGISTRY_KEY, { type: 'arrayBuffer' });
  if (stored.value === null || !isSnapshotMeta(stored.metadata)) return undefined;
  return { bytes: stored.value, meta: stored.metadata };
}

/** Stores the bytes under their version, then as current (so `current` never names a missing version). */
export async function writeSnapshot(kv: KVNamespace, snapshot: RegistrySnapshot): Promise<void> {
  await kv.put(registryVersionKey(snapshot.meta.version), snapshot.bytes, { metadata: snapshot.meta });
  await kv.put(CURRENT_REGISTRY_KEY, snapshot.bytes, { metadata: snapshot.meta });
}
