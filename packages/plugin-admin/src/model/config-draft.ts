import {
  checkUrl,
  SOURCE_KIND_TABLE,
  SOURCE_KINDS,
  type SourceKind,
  type SourceUrlField,
  type UrlPolicy,
  validateMarketplaceConfig,
} from '@cartae/marketplace-core';
import { settingName } from './config-setting-words.ts';
import {
  type CanaryRampDraft,
  canaryRampDraftOf,
  canaryRampOf,
  type RolloutGuardDraft,
  rolloutGuardDraftOf,
  rolloutGuardOf,
} from './rollout-draft.ts';

/** What the admin is editing: the form's fields as typed, with one URL field per source kind. */
export interface ConfigDraft extends Record<SourceUrlField, string> {
  canaryPercent: string;
  cacheTtlSeconds: string;
  healthCheckEnabled: boolean;
  fallbackOnError: boolean;
  /** `autoSwitch` as typed: written when switched on, or when the document already had one. */
  autoSwitch: AutoSwitchDraft;
  /** Shown with the database's defaults when the document has none; written only when changed. */
  rolloutGuard: RolloutGuardDraft;
  /** Written when switched on, or when the document already had one. */
  canaryRamp: CanaryRampDraft;
}

/** The automatic switch's fields as typed in the form. */
export interface AutoSwitchDraft {
  enabled: boolean;
  rateLimitedPercent: string;
  windowMinutes: string;
  target: string;
}

/** What the form offers when the document has no `autoSwitch` yet (the database's example). */
export const AUTO_SWITCH_DEFAULTS = {
  enabled: false,
  rateLimitedPercent: 70,
  windowMinutes: 10,
  target: 'hybrid-cdn-first',
} as const;

/** The validator's messages for a threshold or window that is not a number at all. */
const AUTO_SWITCH_NUMBER_MESSAGES = {
  rateLimitedPercent: 'autoSwitch.rateLimitedPercent must be a number between 0 and 100',
  windowMinutes: 'autoSwitch.windowMinutes must be a whole number of minutes',
} as const;

/** Document fields whose own fields each have a control (errors keyed `rolloutGuard.errorPercent`). */
const NESTED: readonly string[] = ['autoSwitch', 'rolloutGuard', 'canaryRamp'];

const NUMBER_FIELDS = { canaryPercent: 'Canary percentage', cacheTtlSeconds: 'Cache TTL (seconds)' } as const;

/** How a source's URL field is named in the form and in its messages: `Cloudflare CDN URL`. */
export function urlFieldLabel(kind: SourceKind): string {
  return settingName(SOURCE_KIND_TABLE[kind].urlField);
}

/** Each source kind's URL field, with `value(field)` as its value: `{ cloudflareUrl: …, gitUrl: … }`. */
function urlFields(value: (field: SourceUrlField) => string): Record<SourceUrlField, string> {
  const fields = SOURCE_KINDS.map((kind) => SOURCE_KIND_TABLE[kind].urlField);
  return Object.fromEntries(fields.map((field) => [field, value(field)])) as Record<SourceUrlField, string>;
}

/** The form's starting values for a document. */
export function draftOf(document: Record<string, unknown>): ConfigDraft {
  return {
    ...urlFields((field) => {
      const url = document[field];
      return typeof url === 'string' ? url : '';
    }),
    canaryPercent: String(document.canaryPercent ?? 100),
    cacheTtlSeconds: String(document.cacheTtlSeconds ?? 300),
    healthCheckEnabled: document.healthCheckEnabled !== false,
    fallbackOnError: document.fallbackOnError !== false,
    autoSwitch: autoSwitchDraftOf(document.autoSwitch),
    rolloutGuard: rolloutGuardDraftOf(document.rolloutGuard),
    canaryRamp: canaryRampDraftOf(document.canaryRamp),
  };
}

function autoSwitchDraftOf(value: unknown): AutoSwitchDraft {
  const auto = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const text = (v: unknown, fallback: number) => (typeof v === 'number' ? String(v) : String(fallback));
  return {
    enabled: auto.enabled === true,
    rateLimitedPercent: text(auto.rateLimitedPercent, AUTO_SWITCH_DEFAULTS.rateLimitedPercent),
    windowMinutes: text(auto.windowMinutes, AUTO_SWITCH_DEFAULTS.windowMinutes),
    target: typeof auto.target === 'string' ? auto.target : AUTO_SWITCH_DEFAULTS.target,
  };
}

/** `autoSwitch` for the document (unknown keys inside it kept), with the fields that are not numbers. */
function autoSwitchOf(
  draft: AutoSwitchDraft,
  base: unknown,
  errors: Record<string, string>,
): Record<string, unknown> {
  const numbers: Record<string, number> = {};
  for (const [field, message] of Object.entries(AUTO_SWITCH_NUMBER_MESSAGES)) {
    const text = draft[field as keyof typeof AUTO_SWITCH_NUMBER_MESSAGES].trim();
    const value = Number(text);
    if (text === '' || !Number.isFinite(value)) errors[`autoSwitch.${field}`] = message;
    else numbers[field] = value;
  }
  const kept = typeof base === 'object' && base !== null && !Array.isArray(base) ? base : {};
  return { ...kept, enabled: draft.enabled, ...numbers, target: draft.target };
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
  // One rule with the database: whole percentages (said with the form's own label).
  if (numbers.canaryPercent !== undefined && !isWholePercent(numbers.canaryPercent)) {
    errors.canaryPercent = 'Canary percentage must be a whole number between 0 and 100';
  }
  // Each URL on its own, so both can be reported at once with the other field errors.
  for (const kind of SOURCE_KINDS) {
    const field = SOURCE_KIND_TABLE[kind].urlField;
    const url = draft[field].trim();
    const checked = url === '' ? undefined : checkUrl(url, policy);
    if (checked && !checked.ok) errors[field] = `${urlFieldLabel(kind)} ${checked.error}`;
  }
  const document: Record<string, unknown> = {
    ...base,
    ...urlFields((field) => draft[field].trim()),
    ...numbers,
    healthCheckEnabled: draft.healthCheckEnabled,
    fallbackOnError: draft.fallbackOnError,
  };
  if (base.autoSwitch !== undefined || draft.autoSwitch.enabled) {
    document.autoSwitch = autoSwitchOf(draft.autoSwitch, base.autoSwitch, errors);
  }
  const guard = rolloutGuardOf(draft.rolloutGuard, base.rolloutGuard, errors);
  if (guard) document.rolloutGuard = guard;
  const ramp = canaryRampOf(draft.canaryRamp, base.canaryRamp, errors);
  if (ramp) document.canaryRamp = ramp;
  // An empty field means "no URL for that source", not an empty URL.
  for (const kind of SOURCE_KINDS) {
    const field = SOURCE_KIND_TABLE[kind].urlField;
    if (document[field] === '') delete document[field];
  }
  const checked = validateMarketplaceConfig(document, policy);
  if (!checked.ok) {
    for (const issue of checked.error.issues ?? []) {
      // The nested settings' fields each have their own control; the others are keyed by their top field.
      const [top = '(document)', inner] = issue.path.split('.');
      const field = NESTED.includes(top) && inner ? `${top}.${inner}` : top;
      errors[field] ??= issue.message.startsWith(issue.path)
        ? issue.message
        : `${issue.path} ${issue.message}`;
    }
  }
  return Object.keys(errors).length === 0 ? { ok: true, document } : { ok: false, errors };
}

const isWholePercent = (value: number) => Number.isInteger(value) && value >= 0 && value <= 100;

/** Whether the form holds edits the saved `document` does not have. Pure. */
export function draftDiffers(draft: ConfigDraft, document: Record<string, unknown>): boolean {
  return JSON.stringify(draft) !== JSON.stringify(draftOf(document));
}

/**
 * The form after the saved config moved from `before` to `after` (a switch, a rollback, someone
 * else's save): the new saved values, with the fields the admin had edited kept as typed. Pure.
 */
export function rebaseDraft(
  draft: ConfigDraft,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): ConfigDraft {
  const old = draftOf(before);
  const next = draftOf(after);
  const kept = Object.entries(draft).filter(
    ([key, value]) => JSON.stringify(value) !== JSON.stringify(old[key as keyof ConfigDraft]),
  );
  return { ...next, ...Object.fromEntries(kept) };
}
