import { MAX_CONFIG_DEPTH, nestsDeeperThan } from './config-depth.ts';
import {
  CONFIG_LIMITS,
  type MarketplaceSourceConfig,
  SOURCE_TYPES,
  type SourceType,
} from './config-document.ts';
import { configFieldsSchema } from './config-schema.ts';
import { MarketplaceError } from './marketplace-error.ts';
import { err, ok, type Result } from './result.ts';
import {
  isSourceKind,
  SOURCE_KIND_TABLE,
  SOURCE_KINDS,
  type SourceKind,
  sourceUrlFields,
} from './source-kind.ts';
import { checkUrl, type UrlPolicy } from './url-policy.ts';
import { isPlainObject, jsonByteLength, toFieldIssues } from './zod-issues.ts';

export interface ReadConfigOutcome {
  readonly config: MarketplaceSourceConfig;
  /** Things this reader skipped: unknown source kinds, URLs its policy refuses. */
  readonly warnings: readonly string[];
}

/**
 * The forward-compatible reader every resolver uses on a document from the control plane.
 * Unknown fields are ignored; unknown source kinds are dropped (a newer type such as `"r2"`
 * falls back to the known kinds in its `priority`); a source whose URL this app's policy
 * refuses is dropped. A document with nothing usable left is an error, and the caller keeps
 * its last-known-good config.
 *
 * @example
 * const r = readMarketplaceConfig({ type: 'hybrid', priority: ['r2', 'cloudflare', 'git'], … , futureField: 1 });
 * r.ok && r.value.config.priority; // ['cloudflare', 'git']
 */
export function readMarketplaceConfig(
  input: unknown,
  policy: UrlPolicy = {},
): Result<ReadConfigOutcome, MarketplaceError> {
  if (!isPlainObject(input)) {
    return err(
      new MarketplaceError(
        'config_invalid',
        'marketplace config must be a JSON object; keeping the last good config',
      ),
    );
  }
  // First: the size check (JSON.stringify) recurses, and would overflow on a hostile depth.
  if (nestsDeeperThan(input, MAX_CONFIG_DEPTH)) {
    return err(
      new MarketplaceError(
        'config_invalid',
        `marketplace config is nested more than ${MAX_CONFIG_DEPTH} levels deep; keeping the last good config`,
      ),
    );
  }
  if (jsonByteLength(input) > CONFIG_LIMITS.maxDocumentBytes) {
    return err(
      new MarketplaceError(
        'config_invalid',
        'marketplace config is larger than 16 KiB; keeping the last good config',
      ),
    );
  }
  // rolloutGuard and canaryRamp matter to the database only: a bad one (stored before it was
  // validated) is dropped with a warning rather than costing every client its config.
  const guardOk =
    input.rolloutGuard === undefined ||
    configFieldsSchema.shape.rolloutGuard.safeParse(input.rolloutGuard).success;
  const rampOk =
    input.canaryRamp === undefined || configFieldsSchema.shape.canaryRamp.safeParse(input.canaryRamp).success;
  const parsed = configFieldsSchema.safeParse({
    ...input,
    ...(guardOk ? {} : { rolloutGuard: undefined }),
    ...(rampOk ? {} : { canaryRamp: undefined }),
  });
  if (!parsed.success) {
    const issues = toFieldIssues(parsed.error);
    const text = issues.map((i) => i.message).join('; ');
    return err(new MarketplaceError('config_invalid', `marketplace config rejected: ${text}`, { issues }));
  }
  const fields = parsed.data;
  const warnings: string[] = [
    ...(guardOk ? [] : ['ignored an invalid rolloutGuard']),
    ...(rampOk ? [] : ['ignored an invalid canaryRamp']),
  ];

  const declared = fields.priority ?? [];
  const known: SourceKind[] = [];
  for (const kind of declared) {
    if (!isSourceKind(kind)) warnings.push(`ignored unknown source kind "${kind}" in priority`);
    else if (!known.includes(kind)) known.push(kind);
  }

  let type: SourceType;
  if ((SOURCE_TYPES as readonly string[]).includes(fields.type)) {
    type = fields.type as SourceType;
  } else if (known.length > 0) {
    type = known.length > 1 ? 'hybrid' : (known[0] as SourceKind);
    warnings.push(`unknown source type "${fields.type}": using ${known.join(' → ')} from its priority`);
  } else {
    return err(
      new MarketplaceError(
        'config_invalid',
        `marketplace config has unknown type "${fields.type}" and no known source`,
        {
          issues: [{ path: 'type', message: `unknown type "${fields.type}"` }],
        },
      ),
    );
  }

  let priority: SourceKind[];
  if (type === 'hybrid') {
    priority = [...known, ...SOURCE_KINDS.filter((kind) => !known.includes(kind))];
  } else {
    priority = [type];
  }

  const urls: Partial<Record<SourceKind, string>> = {};
  for (const kind of SOURCE_KINDS) {
    const field = SOURCE_KIND_TABLE[kind].urlField;
    const value = fields[field];
    if (value === undefined) continue;
    const checked = checkUrl(value, policy);
    if (checked.ok) urls[kind] = checked.value;
    else warnings.push(`ignored ${field}: it ${checked.error}`);
  }
  const usable = priority.filter((kind) => urls[kind] !== undefined);
  for (const kind of priority) {
    if (urls[kind] === undefined)
      warnings.push(`dropped source "${kind}": no acceptable ${SOURCE_KIND_TABLE[kind].urlField}`);
  }
  if (usable.length === 0) {
    return err(
      new MarketplaceError(
        'config_invalid',
        'marketplace config names no source this app can use; keeping the last good config',
        {
          issues: warnings.map((message) => ({ path: '(document)', message })),
        },
      ),
    );
  }

  const { priority: _p, type: _t, ...rest } = fields;
  // The document's URLs as written give way to the accepted ones, normalised, below.
  for (const kind of SOURCE_KINDS) delete rest[SOURCE_KIND_TABLE[kind].urlField];
  return ok({
    config: { ...rest, type, priority: usable, ...sourceUrlFields((kind) => urls[kind]) },
    warnings,
  });
}
