/**
 * String key/value persistence for the last-known-good config, the last good registry and the
 * install id. Implementations never throw: a failing store behaves like an empty one.
 */
export interface KeyValueStorage {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  remove(key: string): Promise<void>;
}

/** Keys the resolver uses, under one prefix so several apps can share a store. */
export const STORAGE_KEYS = {
  config: 'config',
  registry: 'registry',
  installId: 'install-id',
  highestRegistryVersion: 'registry-highest-version',
} as const;
