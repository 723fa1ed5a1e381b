import { SOURCE_KIND_TABLE, SOURCE_KINDS } from '@cartae/marketplace-core';

/** What went wrong, in the terms an admin acts on. */
export type AdminErrorKind = 'not_authorised' | 'conflict' | 'invalid' | 'not_found' | 'network' | 'unknown';

export interface AdminError {
  readonly kind: AdminErrorKind;
  /** A sentence a person understands, saying what to do when there is something to do. */
  readonly message: string;
  /** For `invalid`: the document fields the database named. */
  readonly fields?: readonly { field: string; message: string }[];
}

export type ServiceResult<T> = { ok: true; value: T } | { ok: false; error: AdminError };

/** The shape of `supabase-js` errors (PostgREST's body plus the HTTP status of the response). */
export interface SupabaseErrorLike {
  message: string;
  code?: string;
  details?: string | null;
  hint?: string | null;
}

/**
 * Turns a `supabase-js` error into an {@link AdminError}. The database's codes are the contract:
 * 42501 not an admin, PT409 someone else saved first, 22023 invalid document, PT404 not found.
 */
export function toAdminError(error: SupabaseErrorLike, status: number): AdminError {
  const code = error.code ?? '';
  if (code === '42501' || status === 401 || status === 403) {
    if (code === 'PGRST303') {
      return { kind: 'not_authorised', message: 'Your session has expired. Sign in again.' };
    }
    return {
      kind: 'not_authorised',
      message:
        "You are not a marketplace admin, so you cannot see or change the marketplace source, the fleet's usage or its automation. Ask an existing admin to add you.",
    };
  }
  if (code === 'PT409' || status === 409) {
    return {
      kind: 'conflict',
      message:
        'Someone else changed the configuration while you were editing. Review their version, then save again.',
    };
  }
  if ((code === '22023' || status === 400) && error.message.startsWith(FLEET_SETTINGS_PREFIX)) {
    return fleetSettingsError(error.message);
  }
  if (code === '22023' || code === '22P02' || status === 400) {
    const fields = fieldIssues(error.message);
    return {
      kind: 'invalid',
      message: `The configuration was refused: ${error.message.replace(/^invalid marketplace_source: /, '')}`,
      ...(fields.length ? { fields } : {}),
    };
  }
  if (code === 'PT404' || status === 404) {
    return { kind: 'not_found', message: `Not found: ${error.message}` };
  }
  if (status === 0 || /fetch failed|Failed to fetch|NetworkError|ECONNREFUSED/i.test(error.message)) {
    return {
      kind: 'network',
      message: 'The control plane cannot be reached. Check your connection; nothing was changed.',
    };
  }
  return { kind: 'unknown', message: `The control plane answered an error: ${error.message}` };
}

const FLEET_SETTINGS_PREFIX = 'invalid fleet settings: ';

/**
 * A refused fleet settings change, from `validateFleetSettingsChange` or `update_fleet_settings`
 * (they word it the same): the message as it is, and the setting it names
 * (`sourceAlert.errorPercent` → `sourceAlert`) so the form can mark that control.
 */
export function fleetSettingsError(message: string): AdminError {
  const field = /^invalid fleet settings: (\w+)/.exec(message)?.[1];
  const known = ['automationPaused', 'webhookUrl', 'webhookSecret', 'sourceAlert'];
  return {
    kind: 'invalid',
    message,
    ...(field && known.includes(field) ? { fields: [{ field, message }] } : {}),
  };
}

const FIELDS = [
  ...SOURCE_KINDS.map((kind) => SOURCE_KIND_TABLE[kind].urlField),
  'canaryPercent',
  'cacheTtlSeconds',
  'healthCheckIntervalSeconds',
  'healthCheckEnabled',
  'fallbackOnError',
  'priority',
  'autoSwitch',
  'rolloutGuard',
  'canaryRamp',
  'type',
] as const;

/**
 * `invalid marketplace_source: cloudflareUrl must use https; canaryPercent: …` → per-field
 * messages, keyed by the first document field each part names (the database and
 * `marketplace-core` word their messages the same way).
 */
export function fieldIssues(message: string): { field: string; message: string }[] {
  const body = message.replace(/^invalid marketplace_source: /, '');
  return body.split('; ').flatMap((part) => {
    const field = FIELDS.find((f) => new RegExp(`\\b${f}\\b`).test(part));
    return field ? [{ field, message: part }] : [];
  });
}
