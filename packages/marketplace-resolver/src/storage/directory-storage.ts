import type { KeyValueStorage, StorageWriteFailure } from './key-value-storage.ts';

/**
 * The part of `node:fs/promises` and `node:path` that file storage uses. Injected, so this file
 * loads in any runtime: the Node modules are bound by `file-storage.ts` (the `/node` entry) or
 * loaded at run time by `node-state-storage.ts` (the default on Node).
 */
export interface FileSystem {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  writeFile(path: string, data: string, encoding: 'utf8'): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: boolean }): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  join(...parts: string[]): string;
  resolve(path: string): string;
}

/**
 * Operations on one folder, in the order they were asked for, whichever instance asked: a read
 * sees every write asked for before it in this process (a resolver created again after
 * `dispose()` reads what the old one was still writing), and the last write of a key wins.
 */
const queues = new Map<string, Promise<unknown>>();

function inOrder<T>(folder: string, operation: () => Promise<T>): Promise<T> {
  const result = (queues.get(folder) ?? Promise.resolve()).then(operation);
  const settled = result.catch(() => undefined);
  queues.set(folder, settled);
  void settled.then(() => {
    if (queues.get(folder) === settled) queues.delete(folder);
  });
  return result;
}

/**
 * Persists each key as a file `<key>.json` in `directory`, over an injected file system. Writes
 * go to a temporary file then rename, so a crash never leaves a half-written value behind.
 */
export function createDirectoryStorage(directory: string, fs: FileSystem): KeyValueStorage {
  const folder = fs.resolve(directory);
  const pathOf = (key: string) => fs.join(folder, `${key.replace(/[^a-zA-Z0-9._-]/g, '_')}.json`);
  return {
    get: (key) => inOrder(folder, () => fs.readFile(pathOf(key), 'utf8').catch(() => undefined)),
    set: (key, value) =>
      inOrder(folder, async (): Promise<StorageWriteFailure | undefined> => {
        const path = pathOf(key);
        const temporary = `${path}.${Math.random().toString(36).slice(2)}.tmp`;
        try {
          // Every time: the folder may have been removed while the app runs.
          await fs.mkdir(folder, { recursive: true });
          await fs.writeFile(temporary, value, 'utf8');
          await fs.rename(temporary, path);
          return undefined;
        } catch (error) {
          await fs.rm(temporary, { force: true }).catch(() => undefined);
          return writeFailure(error, path);
        }
      }),
    remove: (key) => inOrder(folder, () => fs.rm(pathOf(key), { force: true }).catch(() => undefined)),
  };
}

function writeFailure(error: unknown, path: string): StorageWriteFailure {
  const code = (error as { code?: unknown } | undefined)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  return {
    code: code === 'ENOSPC' || code === 'EDQUOT' ? 'storage_full' : 'storage_unavailable',
    message: `could not write ${path}: ${reason}`,
  };
}
