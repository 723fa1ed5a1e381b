/** Node-only helpers: persist the resolver's state in files. */
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stateDirectory } from './platform/state-directory.ts';

export { createFileStorage } from './storage/file-storage.ts';

/**
 * The folder where a Node app's marketplace state lives: `CARTAE_MARKETPLACE_STATE_DIR` when set,
 * else `<appName>-marketplace` in the platform's state folder (`~/.local/state` or
 * `$XDG_STATE_HOME` on Linux, `~/Library/Application Support` on macOS, `%LOCALAPPDATA%` on
 * Windows). With the default name, it is the folder the default storage already uses on Node.
 *
 * @example
 * defaultStateDirectory(); // '/home/ada/.local/state/cartae-marketplace'
 * createFileStorage(defaultStateDirectory('cartae-desktop')); // a folder of this app's own
 */
export function defaultStateDirectory(appName = 'cartae'): string {
  const folder = `${appName}-marketplace`;
  const home = (() => {
    try {
      return homedir();
    } catch {
      return '';
    }
  })();
  return (
    stateDirectory({ platform: process.platform, env: process.env, home }, folder) ?? join(tmpdir(), folder)
  );
}
