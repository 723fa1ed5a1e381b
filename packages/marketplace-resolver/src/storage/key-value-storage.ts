/**
 * String key/value persistence for the last-known-good config, the last good registry and the
 * install id. Implementations never throw: a failing store behaves like an empty one, and a write
 * it could not make resolves to a {@link StorageWriteFailure} saying why (so the resolver can say
 * what will not survive a restart).
 */
export interface KeyValueStorage {
  get(key: string): Promise<string | undefined>;
  // `void` keeps stores written before failures were reported (`async set() {}`) valid.
  // biome-ignore lint/suspicious/noConfusingVoidType: resolves to nothing when the value was stored.
  set(key: string, value: string): Promise<StorageWriteFailure | void>;
  remove(key: string): Promise<void>;
}

/**
 * Why a value was not stored. `storage_full`: over a quota or out of disk space;
 * `storage_unavailable`: storage disabled, read-only, or no permission.
 */
export interface StorageWriteFailure {
  readonly code: 'storage_full' | 'storage_unavailable';
  readonly message: string;
}

/** Keys the resolver uses, under one prefix so several apps can share a store. */
export const STORAGE_KEYS = {
  config: 'config',
  /** The last good registry, exactly the bytes a source served. */
  registry: 'registry',
  /** Where and when that registry was fetched (small JSON), kept apart so the bytes are never escaped into a second copy. */
  registryMeta: 'registry-meta',
  /** The detached signature file of that registry, kept when the app ships keys (checked again on restore). */
  registrySignature: 'registry-signature',
  installId: 'install-id',
  highestRegistryVersion: 'registry-highest-version',
} as const;
