import { CONFIG_LIMITS, ROLLOUT_GUARD_DEFAULTS } from '@cartae/marketplace-core';

/** The rollout guard's fields as typed in the form. */
export interface RolloutGuardDraft {
  enabled: boolean;
  errorPercent: string;
  windowMinutes: string;
}

/** The canary ramp's fields as typed: `steps` is a comma list ("10, 50, 100"). */
export interface CanaryRampDraft {
  enabled: boolean;
  steps: string;
  holdMinutes: string;
}

/** What the form offers when the document has no `canaryRamp` yet. */
export const CANARY_RAMP_DEFAULTS = { enabled: false, steps: [10, 50, 100], holdMinutes: 60 } as const;

const { rolloutGuardWindowMinutes, canaryRampHoldMinutes, canaryRampSteps } = CONFIG_LIMITS;
/** The validator's words (marketplace-core's config schema, the database's validate_* functions). */
export const ROLLOUT_MESSAGES = {
  errorPercent: 'rolloutGuard.errorPercent must be a number between 0 and 100',
  windowMinutes: `rolloutGuard.windowMinutes must be a whole number of minutes between ${rolloutGuardWindowMinutes.min} and ${rolloutGuardWindowMinutes.max}`,
  steps: `canaryRamp.steps must be 1 to ${canaryRampSteps.max} whole percentages between 1 and 100, increasing, the last 100`,
  holdMinutes: `canaryRamp.holdMinutes must be a whole number of minutes between ${canaryRampHoldMinutes.min} and ${canaryRampHoldMinutes.max}`,
} as const;

const asObject = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const text = (value: unknown, fallback: number) => String(typeof value === 'number' ? value : fallback);

/** The form's rollout guard: the document's, or {@link ROLLOUT_GUARD_DEFAULTS} when it has none. */
export function rolloutGuardDraftOf(value: unknown): RolloutGuardDraft {
  const guard = asObject(value);
  return {
    enabled: value === undefined ? ROLLOUT_GUARD_DEFAULTS.enabled : guard.enabled !== false,
    errorPercent: text(guard.errorPercent, ROLLOUT_GUARD_DEFAULTS.errorPercent),
    windowMinutes: text(guard.windowMinutes, ROLLOUT_GUARD_DEFAULTS.windowMinutes),
  };
}

/** The form's canary ramp: the document's, or {@link CANARY_RAMP_DEFAULTS} (off) when it has none. */
export function canaryRampDraftOf(value: unknown): CanaryRampDraft {
  const ramp = asObject(value);
  const steps = Array.isArray(ramp.steps) ? ramp.steps : CANARY_RAMP_DEFAULTS.steps;
  return {
    enabled: ramp.enabled === true,
    steps: steps.join(', '),
    holdMinutes: text(ramp.holdMinutes, CANARY_RAMP_DEFAULTS.holdMinutes),
  };
}

/** "10, 50 ,100" → [10, 50, 100]; `undefined` when a part is not a number. Pure. */
export function parseSteps(input: string): number[] | undefined {
  const parts = input
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const steps = parts.map(Number);
  return parts.length > 0 && steps.every(Number.isFinite) ? steps : undefined;
}

function number(input: string): number | undefined {
  const trimmed = input.trim();
  const value = Number(trimmed);
  return trimmed === '' || !Number.isFinite(value) ? undefined : value;
}

/**
 * `rolloutGuard` for the document, or `undefined` to leave it absent: absent stays absent while
 * the form holds the defaults (the database applies them), so opening and saving the form adds
 * nothing. Unknown keys inside it are kept; fields that are not numbers go to `errors`.
 */
export function rolloutGuardOf(
  draft: RolloutGuardDraft,
  base: unknown,
  errors: Record<string, string>,
): Record<string, unknown> | undefined {
  const errorPercent = number(draft.errorPercent);
  const windowMinutes = number(draft.windowMinutes);
  if (errorPercent === undefined) errors['rolloutGuard.errorPercent'] = ROLLOUT_MESSAGES.errorPercent;
  if (windowMinutes === undefined) errors['rolloutGuard.windowMinutes'] = ROLLOUT_MESSAGES.windowMinutes;
  const guard = { enabled: draft.enabled, errorPercent, windowMinutes };
  if (
    base === undefined &&
    guard.enabled === ROLLOUT_GUARD_DEFAULTS.enabled &&
    guard.errorPercent === ROLLOUT_GUARD_DEFAULTS.errorPercent &&
    guard.windowMinutes === ROLLOUT_GUARD_DEFAULTS.windowMinutes
  ) {
    return undefined;
  }
  return { ...asObject(base), ...guard };
}

/**
 * `canaryRamp` for the document, or `undefined` to leave it absent (no ramp in the document and
 * none switched on). Unknown keys inside it are kept; unreadable fields go to `errors`.
 */
export function canaryRampOf(
  draft: CanaryRampDraft,
  base: unknown,
  errors: Record<string, string>,
): Record<string, unknown> | undefined {
  if (base === undefined && !draft.enabled) return undefined;
  const steps = parseSteps(draft.steps);
  const holdMinutes = number(draft.holdMinutes);
  if (steps === undefined) errors['canaryRamp.steps'] = ROLLOUT_MESSAGES.steps;
  if (holdMinutes === undefined) errors['canaryRamp.holdMinutes'] = ROLLOUT_MESSAGES.holdMinutes;
  return { ...asObject(base), enabled: draft.enabled, steps, holdMinutes };
}
