import { ROLLOUT_GUARD_DEFAULTS } from '@cartae/marketplace-core';

/**
 * The edits `automation auto-switch|guard|ramp` make to the config document: pure, on the raw
 * document (unknown keys kept), validated afterwards with `validateMarketplaceConfig`. A value the
 * command was not given keeps what the document holds.
 */
type Document = Record<string, unknown>;

/** What `auto-switch on` sets when the document has none yet: the admin panel's suggestion. */
export const AUTO_SWITCH_SUGGESTION = {
  rateLimitedPercent: 70,
  windowMinutes: 10,
  target: 'hybrid-cdn-first',
} as const;

const objectAt = (document: Document, key: string): Document | undefined => {
  const value = document[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Document)
    : undefined;
};

/** Drops `undefined`, so a flag that was not given never overrides what the document holds. */
const given = (values: Document): Document =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));

export interface AutoSwitchFlags {
  threshold?: number;
  window?: number;
  target?: string;
}

/** `auto-switch on|off`: off when absent stays absent (absent is off), unless values are given. */
export function editAutoSwitch(document: Document, on: boolean, flags: AutoSwitchFlags): Document {
  const current = objectAt(document, 'autoSwitch');
  const changes = given({
    rateLimitedPercent: flags.threshold,
    windowMinutes: flags.window,
    target: flags.target,
  });
  if (!on && current === undefined && Object.keys(changes).length === 0) return document;
  return {
    ...document,
    autoSwitch: { ...AUTO_SWITCH_SUGGESTION, ...current, ...changes, enabled: on },
  };
}

export interface GuardFlags {
  errorPercent?: number;
  window?: number;
}

/** `guard on|off` writes the guard whole; `guard default` removes it (absent: on, 5 % over 10 min). */
export function editRolloutGuard(
  document: Document,
  mode: 'on' | 'off' | 'default',
  flags: GuardFlags,
): Document {
  if (mode === 'default') {
    const { rolloutGuard: _removed, ...rest } = document;
    return rest;
  }
  const current = objectAt(document, 'rolloutGuard');
  return {
    ...document,
    rolloutGuard: {
      ...ROLLOUT_GUARD_DEFAULTS,
      ...current,
      ...given({ errorPercent: flags.errorPercent, windowMinutes: flags.window }),
      enabled: mode === 'on',
    },
  };
}

/** The current ramp's hold, for `ramp <steps>` without `--hold`. */
export function currentRampHold(document: Document): number | undefined {
  const hold = objectAt(document, 'canaryRamp')?.holdMinutes;
  return typeof hold === 'number' ? hold : undefined;
}

/** `ramp off` keeps the steps for next time (absent stays absent); `ramp <steps>` turns it on. */
export function editCanaryRamp(
  document: Document,
  ramp: 'off' | { steps: number[]; holdMinutes: number },
): Document {
  const current = objectAt(document, 'canaryRamp');
  if (ramp === 'off')
    return current === undefined ? document : { ...document, canaryRamp: { ...current, enabled: false } };
  return {
    ...document,
    canaryRamp: { ...current, enabled: true, steps: ramp.steps, holdMinutes: ramp.holdMinutes },
  };
}

/** `10,50,100` → `[10, 50, 100]`; what is not a number stays `NaN`, for the validator to name. */
export function parseRampSteps(text: string): number[] {
  return text.split(',').map((part) => (part.trim() === '' ? Number.NaN : Number(part)));
}
