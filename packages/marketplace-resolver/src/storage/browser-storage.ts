import { createIndexedDbStorage } from './indexed-db-storage.ts';
import { type KeyValueStorage, STORAGE_KEYS } from './key-value-storage.ts';
import { createLocalStorage } from './local-storage.ts';

/** Keys whose values grow with the registry (megabytes): they go to the large store. */
const LARGE_KEYS: ReadonlySet<string> = new Set([
  STORAGE_KEYS.registry,
  STORAGE_KEYS.registryMeta,
  STORAGE_KEYS.registrySignature,
]);

/**
 * The browser's default storage: the last good registry (its bytes, provenance and signature) in
 * IndexedDB, sized for megabytes; small state (config, install id, rollback floor) in
 * localStorage, read synchronously-cheap and kept apart from the registry's quota. A copy an
 * earlier release left in localStorage is moved to IndexedDB the first time it is read, then
 * removed from localStorage (if the move fails it stays where it was, and is still used).
 * Never throws; a refused write resolves to a `StorageWriteFailure`, which the resolver reports
 * (`registry-not-saved`, `getStats().registryNotSaved`).
 *
 * @example
 * createMarketplaceSourceResolver({ platform: { storage: createBrowserStorage() } });
 */
export function createBrowserStorage(
  options: { readonly large?: KeyValueStorage; readonly small?: KeyValueStorage } = {},
): KeyValueStorage {
  const large = options.large ?? createIndexedDbStorage();
  const small = options.small ?? createLocalStorage();
  const storeFor = (key: string) => (LARGE_KEYS.has(key) ? large : small);
  return {
    async get(key) {
      if (!LARGE_KEYS.has(key)) return small.get(key);
      const value = await large.get(key);
      if (value !== undefined) return value;
      return migrate(key);
    },
    set: (key, value) => storeFor(key).set(key, value),
    async remove(key) {
      await storeFor(key).remove(key);
      // A copy an earlier release left behind must not come back through migration.
      if (LARGE_KEYS.has(key)) await small.remove(key);
    },
  };

  /** Moves a large value an earlier release kept in localStorage; returns it either way. */
  async function migrate(key: string): Promise<string | undefined> {
    const legacy = await small.get(key);
    if (legacy === undefined) return undefined;
    const failed = await large.set(key, legacy);
    if (!failed) await small.remove(key);
    return legacy;
  }
}
