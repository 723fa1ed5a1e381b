import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { AUTO_SWITCH_TARGETS, CONFIG_LIMITS, SOURCE_TYPES } from './config-document.ts';

const {
  cacheTtlSeconds,
  healthCheckIntervalSeconds,
  canaryPercent,
  autoSwitchWindowMinutes,
  rolloutGuardWindowMinutes,
  canaryRampHoldMinutes,
  canaryRampSteps,
} = CONFIG_LIMITS;
const GUARD_WINDOW = `rolloutGuard.windowMinutes must be a whole number of minutes between ${rolloutGuardWindowMinutes.min} and ${rolloutGuardWindowMinutes.max}`;
const GUARD_PERCENT = 'rolloutGuard.errorPercent must be a number between 0 and 100';
const RAMP_STEPS = `canaryRamp.steps must be 1 to ${canaryRampSteps.max} whole percentages between 1 and 100, increasing, the last 100`;
/**
 * The one canary rule, worded as `validate_marketplace_source` (migration 20261201180000) words
 * it: a whole percentage. Reads accept a fraction stored before the rule (so no app loses its
 * config); `validateMarketplaceConfig`, which guards every write, refuses it.
 */
export const CANARY_PERCENT_RULE = `canaryPercent must be a whole number between ${canaryPercent.min} and ${canaryPercent.max}`;
const RAMP_HOLD = `canaryRamp.holdMinutes must be a whole number of minutes between ${canaryRampHoldMinutes.min} and ${canaryRampHoldMinutes.max}`;

/** Strictly increasing whole numbers 1–100 ending at 100. */
const isRamp = (steps: readonly number[]) =>
  steps.length >= 1 &&
  steps.length <= canaryRampSteps.max &&
  steps.every(
    (step, i) =>
      Number.isInteger(step) && step >= 1 && step <= 100 && (i === 0 || step > (steps[i - 1] ?? 0)),
  ) &&
  steps[steps.length - 1] === 100;

/**
 * Field-level schema of the `marketplace_source` document, without cross-field rules and
 * without URL policy (both depend on who reads it). Unknown keys are stripped.
 */
// zod/mini (a fraction of zod's size in a browser bundle) carries no messages of its own: English,
// as zod's classic API gives them. Idempotent, and the same in every file that builds schemas.
z.config(en());

export const configFieldsSchema = z.object({
  type: z.string({ error: 'type is required' }),
  priority: z.optional(
    z.array(z.string(), { error: 'priority must be a list of source kinds' }).check(z.maxLength(8)),
  ),
  canaryPercent: z._default(
    z
      .number({ error: CANARY_PERCENT_RULE })
      .check(z.gte(canaryPercent.min, CANARY_PERCENT_RULE), z.lte(canaryPercent.max, CANARY_PERCENT_RULE)),
    canaryPercent.default,
  ),
  gitUrl: z.optional(z.string({ error: 'gitUrl must be a URL string' })),
  cloudflareUrl: z.optional(z.string({ error: 'cloudflareUrl must be a URL string' })),
  healthCheckEnabled: z._default(z.boolean({ error: 'healthCheckEnabled must be true or false' }), true),
  healthCheckIntervalSeconds: z._default(
    z
      .int({ error: 'healthCheckIntervalSeconds must be a whole number of seconds' })
      .check(
        z.gte(
          healthCheckIntervalSeconds.min,
          `healthCheckIntervalSeconds must be at least ${healthCheckIntervalSeconds.min}`,
        ),
        z.lte(
          healthCheckIntervalSeconds.max,
          `healthCheckIntervalSeconds must be at most ${healthCheckIntervalSeconds.max}`,
        ),
      ),
    healthCheckIntervalSeconds.default,
  ),
  fallbackOnError: z._default(z.boolean({ error: 'fallbackOnError must be true or false' }), true),
  cacheTtlSeconds: z._default(
    z
      .int({ error: 'cacheTtlSeconds must be a whole number of seconds' })
      .check(
        z.gte(cacheTtlSeconds.min, `cacheTtlSeconds must be at least ${cacheTtlSeconds.min}`),
        z.lte(cacheTtlSeconds.max, `cacheTtlSeconds must be at most ${cacheTtlSeconds.max}`),
      ),
    cacheTtlSeconds.default,
  ),
  autoSwitch: z.optional(
    z.object({
      enabled: z.boolean({ error: 'autoSwitch.enabled must be true or false' }),
      rateLimitedPercent: z
        .number({ error: 'autoSwitch.rateLimitedPercent must be a number between 0 and 100' })
        .check(
          z.gte(0, 'autoSwitch.rateLimitedPercent must be a number between 0 and 100'),
          z.lte(100, 'autoSwitch.rateLimitedPercent must be a number between 0 and 100'),
        ),
      windowMinutes: z
        .int({ error: 'autoSwitch.windowMinutes must be a whole number of minutes' })
        .check(
          z.gte(autoSwitchWindowMinutes.min, 'autoSwitch.windowMinutes must be at least 1'),
          z.lte(autoSwitchWindowMinutes.max, 'autoSwitch.windowMinutes must be at most 1440'),
        ),
      target: z.enum(AUTO_SWITCH_TARGETS, {
        error: `autoSwitch.target must be one of ${AUTO_SWITCH_TARGETS.join(', ')}`,
      }),
    }),
  ),
  rolloutGuard: z.optional(
    z.object(
      {
        enabled: z.boolean({ error: 'rolloutGuard.enabled must be true or false' }),
        errorPercent: z
          .number({ error: GUARD_PERCENT })
          .check(z.gte(0, GUARD_PERCENT), z.lte(100, GUARD_PERCENT)),
        windowMinutes: z
          .int({ error: GUARD_WINDOW })
          .check(
            z.gte(rolloutGuardWindowMinutes.min, GUARD_WINDOW),
            z.lte(rolloutGuardWindowMinutes.max, GUARD_WINDOW),
          ),
      },
      { error: 'rolloutGuard must be an object' },
    ),
  ),
  canaryRamp: z.optional(
    z.object(
      {
        enabled: z.boolean({ error: 'canaryRamp.enabled must be true or false' }),
        steps: z
          .array(z.number({ error: RAMP_STEPS }), { error: RAMP_STEPS })
          .check(z.refine(isRamp, RAMP_STEPS)),
        holdMinutes: z
          .int({ error: RAMP_HOLD })
          .check(z.gte(canaryRampHoldMinutes.min, RAMP_HOLD), z.lte(canaryRampHoldMinutes.max, RAMP_HOLD)),
      },
      { error: 'canaryRamp must be an object' },
    ),
  ),
});

export type ConfigFields = z.infer<typeof configFieldsSchema>;

export const KNOWN_SOURCE_TYPES: readonly string[] = SOURCE_TYPES;
