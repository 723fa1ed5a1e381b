import type { KeyValueStorage } from './key-value-storage.ts';
import { createMemoryStorage } from './memory-storage.ts';

/**
 * A storage made on first use by `load` (which may import code only one runtime has). Calls made
 * before it is ready reach it in the order they were made, then calls go straight through. If
 * `load` fails or gives nothing, values live in memory, as with any store that cannot persist.
 */
export function createLazyStorage(load: () => Promise<KeyValueStorage | undefined>): KeyValueStorage {
  let loaded: KeyValueStorage | undefined;
  let started = false;
  const waiting: ((storage: KeyValueStorage) => void)[] = [];
  const through = <T>(use: (storage: KeyValueStorage) => Promise<T>): Promise<T> => {
    if (loaded) return use(loaded);
    const result = new Promise<T>((resolve, reject) =>
      waiting.push((storage) => {
        try {
          resolve(use(storage));
        } catch (error) {
          reject(error);
        }
      }),
    );
    if (!started) {
      started = true;
      void load()
        .catch(() => undefined)
        .then((storage) => {
          const ready = storage ?? createMemoryStorage();
          for (const call of waiting.splice(0)) call(ready);
          loaded = ready;
        });
    }
    return result;
  };
  return {
    get: (key) => through((s) => s.get(key)),
    set: (key, value) => through((s) => s.set(key, value)),
    remove: (key) => through((s) => s.remove(key)),
  };
}
