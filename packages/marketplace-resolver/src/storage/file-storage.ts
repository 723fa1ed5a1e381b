import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createDirectoryStorage } from './directory-storage.ts';
import type { KeyValueStorage } from './key-value-storage.ts';

/**
 * Persists each key as a file in `directory` (Node only; import from
 * `@cartae/marketplace-resolver/node`). Writes go to a temporary file then rename, so a crash
 * never leaves a half-written config behind. Without it, a Node app already gets file storage in
 * its state folder (see `defaultStateDirectory()`); pass this to choose another folder.
 *
 * @example
 * createMarketplaceSourceResolver({ platform: { storage: createFileStorage(join(app.getPath('userData'), 'marketplace')) } });
 */
export function createFileStorage(directory: string): KeyValueStorage {
  return createDirectoryStorage(directory, { mkdir, readFile, rename, rm, writeFile, join, resolve });
}
