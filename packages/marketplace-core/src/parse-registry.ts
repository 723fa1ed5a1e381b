import { type FieldIssue, MarketplaceError } from './marketplace-error.ts';
import { type RegistryDocument, registryDocumentSchema } from './registry-document.ts';
import { withinExpiry } from './registry-expiry.ts';
import { parseRegistryFast } from './registry-fast-path.ts';
import { err, ok, type Result } from './result.ts';
import { checkUrl, type UrlPolicy } from './url-policy.ts';
import { toFieldIssues } from './zod-issues.ts';

export interface RegistryCheckOptions {
  /** Policy for each plugin's `downloadUrl`. */
  readonly urlPolicy?: UrlPolicy;
  /** Current time, epoch ms: a registry past its `expires` is rejected. */
  readonly now: number;
  /** Tolerated clock difference for `expires`, ms. Default 5 minutes. */
  readonly clockSkewMs?: number;
  /** Highest registry version already accepted; a lower one is refused (rollback protection). */
  readonly minVersion?: number;
}

/**
 * Validates a parsed registry document: schema, unique plugin ids, download URLs, expiry and
 * (when `minVersion` is given) rollback protection.
 *
 * @example
 * const r = checkRegistryDocument(JSON.parse(text), { now: Date.now() });
 * if (r.ok) render(r.value.plugins);
 */
export function checkRegistryDocument(
  value: unknown,
  options: RegistryCheckOptions,
): Result<RegistryDocument, MarketplaceError> {
  // Plain code first; the schema runs only when something is off, to word the issues.
  const fast = parseRegistryFast(value);
  const parsed = fast ? ({ success: true, data: fast } as const) : registryDocumentSchema.safeParse(value);
  if (!parsed.success) {
    const issues = toFieldIssues(parsed.error).slice(0, 20);
    const first = issues[0];
    return err(
      new MarketplaceError(
        'registry_invalid',
        `registry does not match the schema${first ? ` (${first.path}: ${first.message})` : ''}`,
        { issues },
      ),
    );
  }
  const registry = parsed.data;
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  registry.plugins.forEach((plugin, index) => {
    if (seen.has(plugin.id))
      issues.push({ path: `plugins.${index}.id`, message: `duplicate plugin id "${plugin.id}"` });
    seen.add(plugin.id);
    const url = checkUrl(plugin.downloadUrl, options.urlPolicy);
    if (!url.ok) issues.push({ path: `plugins.${index}.downloadUrl`, message: `downloadUrl ${url.error}` });
  });
  if (issues.length > 0) {
    return err(
      new MarketplaceError(
        'registry_invalid',
        `registry rejected: ${issues[0]?.path}: ${issues[0]?.message}`,
        {
          issues: issues.slice(0, 20),
        },
      ),
    );
  }
  if (!withinExpiry(registry.expires, options.now, options.clockSkewMs)) {
    return err(
      new MarketplaceError(
        'registry_expired',
        `registry version ${registry.version} expired at ${registry.expires}`,
      ),
    );
  }
  if (options.minVersion !== undefined && registry.version < options.minVersion) {
    return err(
      new MarketplaceError(
        'registry_rollback',
        `registry version ${registry.version} is older than version ${options.minVersion} already seen; refusing a rollback`,
      ),
    );
  }
  return ok(registry);
}
