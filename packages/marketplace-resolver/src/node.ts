/** Node-only helpers: persist the resolver's state in files. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export { createFileStorage } from './storage/file-storage.ts';

/** The default folder for a Node app's persisted marketplace state. */
export function defaultStateDirectory(appName = 'cartae'): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), appName, 'marketplace');
}
