import { type MarketplaceSourceConfig, sourceUrl } from './config-document.ts';
import { MarketplaceError } from './marketplace-error.ts';
import { PLUGIN_ID_PATTERN } from './registry-document.ts';
import { err, ok, type Result } from './result.ts';
import { SOURCE_KIND_TABLE, type SourceKind } from './source-kind.ts';

/** A logical marketplace path, independent of which source serves it (SPEC 3.3). */
export type LogicalRoute = { readonly name: 'registry' } | { readonly name: 'plugin'; readonly id: string };

/** The logical paths this version understands, for error messages and docs. */
export const LOGICAL_PATHS = ['api/plugins', 'api/plugins/{id}'] as const;

/**
 * Parses a logical path such as `api/plugins` or `/api/plugins/markdown-preview`.
 * Anything else is an error, never a guess.
 */
export function parseLogicalPath(path: string): Result<LogicalRoute, MarketplaceError> {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  if (trimmed === 'api/plugins') return ok({ name: 'registry' });
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
 * the CDN serves `{cloudflareUrl}/api/plugins[/{id}]`.
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
  return ok(route.name === 'registry' ? routes.registry(base) : routes.plugin(base, route.id));
}
