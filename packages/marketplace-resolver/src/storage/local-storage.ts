import type { KeyValueStorage } from './key-value-storage.ts';

interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Persists in the browser's `localStorage` under a prefix. Quota errors, private mode and
 * disabled storage are swallowed: the resolver then simply has no persisted state.
 *
 * @example
 * createMarketplaceSourceResolver({ storage: createLocalStorage() });
 */
export function createLocalStorage(prefix = 'cartae.marketplace.', store?: WebStorageLike): KeyValueStorage {
  const target = (): WebStorageLike | undefined => {
    try {
      return store ?? (globalThis as { localStorage?: WebStorageLike }).localStorage;
    } catch {
      return undefined;
    }
  };
  return {
    async get(key) {
      try {
        return target()?.getItem(prefix + key) ?? undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      try {
        target()?.setItem(prefix + key, value);
      } catch {
        // Quota exceeded or storage disabled: persistence is best effort.
      }
    },
    async remove(key) {
      try {
        target()?.removeItem(prefix + key);
      } catch {
        // Same as above.
      }
    },
  };
}
