import { stateDirectory } from '../platform/state-directory.ts';
import { createDirectoryStorage, type FileSystem } from './directory-storage.ts';
import type { KeyValueStorage } from './key-value-storage.ts';
import { createLazyStorage } from './lazy-storage.ts';

/**
 * Imports a Node built-in by a name known only at run time. This file is part of the core that
 * browsers and workerd bundle too: a literal `import('node:fs/promises')` would make their
 * bundlers fail or ship a stub, while a built-in loads wherever this runs on Node, bundled or not.
 */
const builtIn = (name: string): Promise<unknown> => import(/* @vite-ignore */ /* webpackIgnore: true */ name);

/**
 * The default storage on Node: files in the platform's state folder for this app
 * (`stateDirectory()`, or `CARTAE_MARKETPLACE_STATE_DIR`), so the install id, the last good config
 * and the last good registry survive a restart. Node's modules are loaded on first use; if they
 * or the folder cannot be had, values live in memory.
 */
export function createNodeStateStorage(): KeyValueStorage {
  return createLazyStorage(async () => {
    const [fs, os, path] = (await Promise.all([
      builtIn('node:fs/promises'),
      builtIn('node:os'),
      builtIn('node:path'),
    ])) as [typeof import('node:fs/promises'), typeof import('node:os'), typeof import('node:path')];
    const { platform, env } = globalThis.process;
    const directory = stateDirectory({ platform, env, home: homeOf(os) });
    if (directory === undefined) return undefined;
    const files: FileSystem = { ...fs, join: path.join, resolve: path.resolve };
    return createDirectoryStorage(directory, files);
  });
}

function homeOf(os: typeof import('node:os')): string {
  try {
    return os.homedir();
  } catch {
    // No home (some service accounts): only CARTAE_MARKETPLACE_STATE_DIR can name a folder.
    return '';
  }
}
