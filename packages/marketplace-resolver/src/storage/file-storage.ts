import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyValueStorage } from './key-value-storage.ts';

/**
 * Persists each key as a file in `directory` (Node only; import from
 * `@cartae/marketplace-resolver/node`). Writes go to a temporary file then rename, so a crash
 * never leaves a half-written config behind.
 *
 * @example
 * createFileStorage(join(os.homedir(), '.cache', 'cartae-marketplace'));
 */
export function createFileStorage(directory: string): KeyValueStorage {
  const pathOf = (key: string) => join(directory, `${key.replace(/[^a-zA-Z0-9._-]/g, '_')}.json`);
  let ready: Promise<unknown> | undefined;
  const ensureDirectory = () => {
    ready ??= mkdir(directory, { recursive: true }).catch(() => undefined);
    return ready;
  };
  return {
    async get(key) {
      try {
        return await readFile(pathOf(key), 'utf8');
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      try {
        await ensureDirectory();
        const temporary = `${pathOf(key)}.${process.pid}.${Date.now()}.tmp`;
        await writeFile(temporary, value, 'utf8');
        await rename(temporary, pathOf(key));
      } catch {
        // Read-only disk or no permission: persistence is best effort.
      }
    },
    async remove(key) {
      await rm(pathOf(key), { force: true }).catch(() => undefined);
    },
  };
}
