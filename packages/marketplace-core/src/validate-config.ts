import { CONFIG_TOO_DEEP, MAX_CONFIG_DEPTH, nestsDeeperThan } from './config-depth.ts';
import {
  CONFIG_LIMITS,
  type MarketplaceSourceConfig,
  SOURCE_TYPES,
  type SourceType,
} from './config-document.ts';
import { CANARY_PERCENT_RULE, configFieldsSchema } from './config-schema.ts';
import { type FieldIssue, MarketplaceError } from './marketplace-error.ts';
import { err, ok, type Result } from './result.ts';
import { isSourceKind, SOURCE_KIND_TABLE, SOURCE_KINDS, type SourceKind } from './source-kind.ts';
import { checkUrl, type UrlPolicy } from './url-policy.ts';
import { isPlainObject, jsonByteLength, toFieldIssues } from './zod-issues.ts';

function invalid(issues: FieldIssue[]): MarketplaceError {
  const summary = issues.map((i) => (i.message.startsWith(i.path) ? i.message : `${i.path}: ${i.message}`));
  return new MarketplaceError('config_invalid', `invalid marketplace_source: ${summary.join('; ')}`, {
    issues,
  });
}

/**
 * The strict check an admin's document must pass before it is saved — the same rules the
 * database enforces in `update_app_config`. Unknown keys are allowed (and kept by the database)
 * so newer fields can be added without breaking older resolvers. The document may be at most
 * 16 KiB and nested at most {@link MAX_CONFIG_DEPTH} (32) levels deep.
 *
 * @example
 * const r = validateMarketplaceConfig({ type: 'cloudflare', cloudflareUrl: 'http://evil.example' });
 * if (!r.ok) console.log(r.error.issues); // [{ path: 'cloudflareUrl', message: 'must use https …' }]
 */
export function validateMarketplaceConfig(
  input: unknown,
  policy: UrlPolicy = {},
): Result<MarketplaceSourceConfig, MarketplaceError> {
  if (!isPlainObject(input)) return err(invalid([{ path: '(document)', message: 'must be a JSON object' }]));
  // First: the size check (JSON.stringify) recurses, and would overflow on a hostile depth.
  if (nestsDeeperThan(input, MAX_CONFIG_DEPTH)) {
    return err(invalid([{ path: '(document)', message: CONFIG_TOO_DEEP }]));
  }
  if (jsonByteLength(input) > CONFIG_LIMITS.maxDocumentBytes) {
    return err(
      invalid([{ path: '(document)', message: `must be at most ${CONFIG_LIMITS.maxDocumentBytes} bytes` }]),
    );
  }
  const parsed = configFieldsSchema.safeParse(input);
  if (!parsed.success) return err(invalid(toFieldIssues(parsed.error)));
  const fields = parsed.data;
  const issues: FieldIssue[] = [];

  const type = fields.type as SourceType;
  if (!SOURCE_TYPES.includes(type)) {
    issues.push({ path: 'type', message: `type must be one of ${SOURCE_TYPES.join(', ')}` });
  }
  const priority = fields.priority ?? (type === 'hybrid' ? [...SOURCE_KINDS] : [type]);
  if (priority.some((kind) => !isSourceKind(kind))) {
    issues.push({ path: 'priority', message: `priority may only name ${SOURCE_KINDS.join(' and ')}` });
  } else if (new Set(priority).size !== priority.length) {
    issues.push({ path: 'priority', message: 'priority must not name a source twice' });
  } else if (priority.length === 0) {
    issues.push({ path: 'priority', message: 'priority must name at least one source' });
  } else if (type === 'hybrid' && priority.length !== SOURCE_KINDS.length) {
    // Worded as `update_app_config` words it, for the two kinds it knows.
    const every = SOURCE_KINDS.length === 2 ? 'both' : 'each of';
    issues.push({
      path: 'priority',
      message: `a hybrid priority must name ${every} ${SOURCE_KINDS.join(' and ')}`,
    });
  } else if (type !== 'hybrid' && SOURCE_TYPES.includes(type) && priority[0] !== type) {
    issues.push({ path: 'priority', message: `priority must start with "${type}" when type is "${type}"` });
  }

  // Written documents hold whole percentages only (reads still take a fraction stored earlier).
  if (!Number.isInteger(fields.canaryPercent)) {
    issues.push({ path: 'canaryPercent', message: CANARY_PERCENT_RULE });
  }

  for (const kind of SOURCE_KINDS) {
    const field = SOURCE_KIND_TABLE[kind].urlField;
    const value = fields[field];
    const required = type === 'hybrid' || type === kind;
    if (value === undefined) {
      if (required) issues.push({ path: field, message: `${field} is required when type is "${type}"` });
      continue;
    }
    const checked = checkUrl(value, policy);
    if (!checked.ok) issues.push({ path: field, message: `${field} ${checked.error}` });
  }
  if (issues.length > 0) return err(invalid(issues));

  return ok({
    ...fields,
    type,
    priority: priority as SourceKind[],
  });
}
