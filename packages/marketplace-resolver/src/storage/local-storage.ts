import type { KeyValueStorage, StorageWriteFailure } from './key-value-storage.ts';

interface WebStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Persists in the browser's `localStorage` under a prefix. Nothing throws: private mode and
 * disabled storage read as empty, and a write the browser refuses (quota exceeded, storage
 * disabled) resolves to a {@link StorageWriteFailure}.
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
      const storage = target();
      if (!storage) return { code: 'storage_unavailable', message: 'localStorage is not available' };
      try {
        storage.setItem(prefix + key, value);
      } catch (error) {
        return writeFailure(error, prefix + key);
      }
    },
    async remove(key) {
      try {
        target()?.removeItem(prefix + key);
      } catch {
        // Storage disabled: there is nothing to remove.
      }
    },
  };
}

/** Chromium and WebKit name the quota error; older Firefox only gives its code. */
function writeFailure(error: unknown, key: string): StorageWriteFailure {
  const name = (error as { name?: unknown } | undefined)?.name;
  const full = name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
  return full
    ? { code: 'storage_full', message: `localStorage is full (QuotaExceededError) writing "${key}"` }
    : { code: 'storage_unavailable', message: `localStorage refused "${key}" (${String(name ?? error)})` };
}
