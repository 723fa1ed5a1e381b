import type { RegistrySnapshot } from './registry-snapshot.ts';

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
}

/** Drops what this isolate remembers about a namespace (tests reset KV between cases). */
export function forgetSnapshot(kv: KVNamespace): void {
  remembered.delete(kv);
}
