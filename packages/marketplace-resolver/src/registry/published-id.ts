/** `api/plugins/{id}` with a capital in the id. */
const PLUGIN_PATH_WITH_CAPITALS = /^(\/*api\/plugins\/)([^/]*[A-Z][^/]*)(\/*)$/;

/**
 * A logical path as the registry names it: an id a marketplace published with capitals is
 * carried lower-cased (SPEC 3.2, `pluginIdFor`), so `api/plugins/ObsidianAnkiSync` reaches
 * `obsidianankisync` — the redirect for apps and links that still hold the published id. Any
 * other path is returned unchanged.
 *
 * @example
 * registryPath('api/plugins/DEVONlink-obsidian'); // 'api/plugins/devonlink-obsidian'
 */
export function registryPath(path: string): string {
  const match = PLUGIN_PATH_WITH_CAPITALS.exec(path);
  return match ? `${match[1]}${(match[2] as string).toLowerCase()}${match[3]}` : path;
}
