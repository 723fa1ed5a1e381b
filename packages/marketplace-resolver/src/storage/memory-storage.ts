import type { KeyValueStorage } from './key-value-storage.ts';

/**
 * Keeps values in memory: the default where nothing persistent exists (Workers, tests).
 *
 * @example
 * const storage = createMemoryStorage();
 */
export function createMemoryStorage(initial: Record<string, string> = {}): KeyValueStorage & {
  readonly entries: Map<string, string>;
} {
  const entries = new Map(Object.entries(initial));
  return {
    entries,
    get: async (key) => entries.get(key),
    set: async (key, value) => {
      entries.set(key, value);
    },
    remove: async (key) => {
      entries.delete(key);
    },
  };
}
