/** The environment variable that names the folder of the default storage on Node, overriding the platform's. */
export const STATE_DIRECTORY_VARIABLE = 'CARTAE_MARKETPLACE_STATE_DIR';

/** What `stateDirectory` needs to know of the machine (`process.platform`, `process.env`, `os.homedir()`). */
export interface StateDirectoryRuntime {
  readonly platform: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
}

/**
 * Where a Node or desktop app keeps the resolver's state (install id, last good config and
 * registry): `CARTAE_MARKETPLACE_STATE_DIR` when set; otherwise `folder` in the platform's folder
 * for state that must survive restarts but may be rebuilt: `%LOCALAPPDATA%` on Windows,
 * `~/Library/Application Support` on macOS, `$XDG_STATE_HOME` or `~/.local/state` elsewhere.
 * `undefined` when there is no home to put it in. Pure.
 *
 * @example
 * stateDirectory({ platform: 'linux', env: {}, home: '/home/ada' }); // '/home/ada/.local/state/cartae-marketplace'
 */
export function stateDirectory(
  runtime: StateDirectoryRuntime,
  folder = 'cartae-marketplace',
): string | undefined {
  const { platform, env, home } = runtime;
  const override = env[STATE_DIRECTORY_VARIABLE];
  if (override) return override;
  const windows = platform === 'win32';
  const join = (base: string, ...parts: string[]) =>
    [base.replace(/[\\/]+$/, ''), ...parts].join(windows ? '\\' : '/');
  if (windows) {
    const local = env.LOCALAPPDATA || (home && join(home, 'AppData', 'Local'));
    return local ? join(local, folder) : undefined;
  }
  if (platform === 'darwin') return home ? join(home, 'Library', 'Application Support', folder) : undefined;
  // The XDG spec: a relative XDG_STATE_HOME is invalid and must be ignored.
  const xdg = env.XDG_STATE_HOME;
  if (xdg?.startsWith('/')) return join(xdg, folder);
  return home ? join(home, '.local', 'state', folder) : undefined;
}
