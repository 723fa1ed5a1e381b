import { checkUrl, type UrlPolicy, validateMarketplaceConfig } from '@cartae/marketplace-core';

/** What the admin is editing: the form's fields as typed. */
export interface ConfigDraft {
  cloudflareUrl: string;
  gitUrl: string;
  canaryPercent: string;
  cacheTtlSeconds: string;
  healthCheckEnabled: boolean;
  fallbackOnError: boolean;
}

const NUMBER_FIELDS = { canaryPercent: 'Canary percentage', cacheTtlSeconds: 'Cache TTL (seconds)' } as const;
const URL_FIELDS = { cloudflareUrl: 'Cloudflare CDN URL', gitUrl: 'Git URL' } as const;

/** The form's starting values for a document. */
export function draftOf(document: Record<string, unknown>): ConfigDraft {
  return {
    cloudflareUrl: typeof document.cloudflareUrl === 'string' ? document.cloudflareUrl : '',
    gitUrl: typeof document.gitUrl === 'string' ? document.gitUrl : '',
    canaryPercent: String(document.canaryPercent ?? 100),
    cacheTtlSeconds: String(document.cacheTtlSeconds ?? 300),
    healthCheckEnabled: document.healthCheckEnabled !== false,
    fallbackOnError: document.fallbackOnError !== false,
  };
}

/**
 * The document a draft describes on top of `base` (unknown keys kept), or the field errors that
 * stop it — the same rules the database enforces, every field reported at once. Pure.
 */
export function documentFromDraft(
  draft: ConfigDraft,
  base: Record<string, unknown>,
  policy: UrlPolicy = {},
): { ok: true; document: Record<string, unknown> } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const numbers: Record<string, number> = {};
  for (const [field, label] of Object.entries(NUMBER_FIELDS)) {
    const text = draft[field as keyof typeof NUMBER_FIELDS].trim();
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) errors[field] = `${label} must be a number`;
    else numbers[field] = value;
  }
  // Each URL on its own, so both can be reported at once with the other field errors.
  for (const [field, label] of Object.entries(URL_FIELDS)) {
    const url = draft[field as keyof typeof URL_FIELDS].trim();
    const checked = url === '' ? undefined : checkUrl(url, policy);
    if (checked && !checked.ok) errors[field] = `${label} ${checked.error}`;
  }
  const document: Record<string, unknown> = {
    ...base,
    cloudflareUrl: draft.cloudflareUrl.trim(),
    gitUrl: draft.gitUrl.trim(),
    ...numbers,
    healthCheckEnabled: draft.healthCheckEnabled,
    fallbackOnError: draft.fallbackOnError,
  };
  if (document.cloudflareUrl === '') delete document.cloudflareUrl;
  if (document.gitUrl === '') delete document.gitUrl;
  const checked = validateMarketplaceConfig(document, policy);
  if (!checked.ok) {
    for (const issue of checked.error.issues ?? []) {
      const field = issue.path.split('.')[0] ?? '(document)';
      errors[field] ??= issue.message.startsWith(issue.path)
        ? issue.message
        : `${issue.path} ${issue.message}`;
    }
  }
  return Object.keys(errors).length === 0 ? { ok: true, document } : { ok: false, errors };
}
