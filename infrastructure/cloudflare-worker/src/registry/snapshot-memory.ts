import type { RegistrySnapshot, RegistrySnapshotMeta } from './registry-snapshot.ts';

/**
 * The current snapshot held in the isolate's memory, so the hot path answers without a KV read.
 * It is re-read from KV after {@link MEMORY_FRESH_MS}; KV itself is eventually consistent (about a
 * minute), so this adds little staleness. Keyed by KV binding so two namespaces never mix.
 */
export const MEMORY_FRESH_MS = 5_000;

interface RememberedSnapshot {
  readonly snapshot: RegistrySnapshot;
  readonly checkedAt: number;
}

const remembered = new WeakMap<KVNamespace, RememberedSnapshot>();

/** The remembered snapshot when it was read from KV less than {@link MEMORY_FRESH_MS} ago. */
export function freshRememberedSnapshot(kv: KVNamespace, now: number): RegistrySnapshot | undefined {
  const entry = remembered.get(kv);
  if (entry === undefined || now - entry.checkedAt >= MEMORY_FRESH_MS || now < entry.checkedAt)
    return undefined;
  return entry.snapshot;
}

/** The remembered snapshot however old, for when KV cannot be read. */
export function anyRememberedSnapshot(kv: KVNamespace): RegistrySnapshot | undefined {
  return remembered.get(kv)?.snapshot;
}

export function rememberSnapshot(kv: KVNamespace, snapshot: RegistrySnapshot, now: number): void {
  remembered.set(kv, { snapshot, checkedAt: now });
  // The snapshot is newer news than any metadata read alone.
  rememberedMeta.delete(kv);
}

/**
 * The current snapshot's metadata alone, as `GET /api/plugins/:id` read it (without the bytes),
 * fresh for {@link MEMORY_FRESH_MS} like the snapshot.
 */
const rememberedMeta = new WeakMap<
  KVNamespace,
  { readonly meta: RegistrySnapshotMeta; readonly checkedAt: number }
>();

export function freshRememberedMeta(kv: KVNamespace, now: number): RegistrySnapshotMeta | undefined {
  const entry = rememberedMeta.get(kv);
  if (entry === undefined || now - entry.checkedAt >= MEMORY_FRESH_MS || now < entry.checkedAt)
    return undefined;
  return entry.meta;
}

export function rememberMeta(kv: KVNamespace, meta: RegistrySnapshotMeta, now: number): void {
  rememberedMeta.set(kv, { meta, checkedAt: now });
}

/** Drops what this isolate remembers about a namespace (tests reset KV between cases). */
export function forgetSnapshot(kv: KVNamespace): void {
  remembered.delete(kv);
  rememberedMeta.delete(kv);
}
