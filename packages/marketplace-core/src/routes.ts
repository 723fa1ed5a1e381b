import { type MarketplaceSourceConfig, sourceUrl } from './config-document.ts';
import { MarketplaceError } from './marketplace-error.ts';
import { PLUGIN_ID_PATTERN } from './registry-document.ts';
import { err, ok, type Result } from './result.ts';
import { SOURCE_KIND_TABLE, type SourceKind } from './source-kind.ts';

/**
 * A logical marketplace path, independent of which source serves it (SPEC 3.3):
 * - `registry` — `api/plugins`: the registry document;
 * - `plugin` — `api/plugins/{id}`: one plugin's entry;
 * - `registry-signature` — `api/plugins.sig`: the registry's detached signature file
 *   (`registry-signature-file.ts`), served next to the registry by every source: the registry's
 *   URL with `.sig` appended to its path. Git: `{gitUrl}.sig` (`…/registry/registry.json.sig`);
 *   CDN: `{cloudflareUrl}/api/plugins.sig`. A source answers it with the signature file for the
 *   registry bytes it serves at that moment (`200`, `content-type: application/json`, with an
 *   `ETag` and `If-None-Match` → `304` like the registry), or `404` when it has none. Only apps
 *   that ship keys ask for it, and only when the registry's bytes changed.
 */
export type LogicalRoute =
  | { readonly name: 'registry' }
  | { readonly name: 'plugin'; readonly id: string }
  | { readonly name: 'registry-signature' };

/** The logical paths this version understands, for error messages and docs. */
export const LOGICAL_PATHS = ['api/plugins', 'api/plugins/{id}', 'api/plugins.sig'] as const;

/**
 * Where a source serves the detached signature of the registry it serves at `registryUrl`: the
 * same URL with `.sig` appended to its path (a query string stays a query string).
 *
 * @example
 * registrySignatureUrl('https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json');
 * // 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json.sig'
 * registrySignatureUrl('https://marketplace.cartae.com/api/plugins'); // 'https://marketplace.cartae.com/api/plugins.sig'
 */
export function registrySignatureUrl(registryUrl: string): string {
  try {
    const url = new URL(registryUrl);
    url.pathname = `${url.pathname}.sig`;
    return url.toString();
  } catch {
    return `${registryUrl}.sig`;
  }
}

/**
 * Parses a logical path such as `api/plugins` or `/api/plugins/markdown-preview`.
 * Anything else is an error, never a guess.
 */
export function parseLogicalPath(path: string): Result<LogicalRoute, MarketplaceError> {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === 'api/plugins') return ok({ name: 'registry' });
  if (trimmed === 'api/plugins.sig') return ok({ name: 'registry-signature' });
  const match = /^api\/plugins\/([^/]+)$/.exec(trimmed);
  if (match?.[1] !== undefined && PLUGIN_ID_PATTERN.test(match[1]))
    return ok({ name: 'plugin', id: match[1] });
  return err(
    new MarketplaceError(
      'route_unknown',
      `unknown marketplace path "${path}"; known paths are ${LOGICAL_PATHS.join(', ')} (ids: lowercase letters, digits, ".", "_", "-")`,
    ),
  );
}

/**
 * The concrete URL of a logical route on one source, built by that kind's `routes` in
 * `SOURCE_KIND_TABLE`: Git serves `registry.json` at `gitUrl` and `plugins/{id}.json` next to it;
 * the CDN serves `{cloudflareUrl}/api/plugins[/{id}]`. Every source serves the registry's
 * signature at the registry's URL + `.sig` ({@link registrySignatureUrl}).
 *
 * @example
 * routeUrl({ name: 'plugin', id: 'kanban' }, 'git', config); // https://…/registry/plugins/kanban.json
 */
export function routeUrl(
  route: LogicalRoute,
  kind: SourceKind,
  config: MarketplaceSourceConfig,
): Result<string, MarketplaceError> {
  const base = sourceUrl(config, kind);
  if (base === undefined) {
    return err(
      new MarketplaceError('no_source_available', `the config has no URL for the ${kind} source`, {
        source: kind,
      }),
    );
  }
  const { routes } = SOURCE_KIND_TABLE[kind];
  if (route.name === 'plugin') return ok(routes.plugin(base, route.id));
  const registry = routes.registry(base);
  return ok(route.name === 'registry' ? registry : registrySignatureUrl(registry));
}
