import { z } from 'zod';
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
export const configFieldsSchema = z.object({
  type: z.string({ error: 'type is required' }),
  priority: z.array(z.string(), { error: 'priority must be a list of source kinds' }).max(8).optional(),
  canaryPercent: z
    .number({ error: CANARY_PERCENT_RULE })
    .min(canaryPercent.min, CANARY_PERCENT_RULE)
    .max(canaryPercent.max, CANARY_PERCENT_RULE)
    .default(canaryPercent.default),
  gitUrl: z.string({ error: 'gitUrl must be a URL string' }).optional(),
  cloudflareUrl: z.string({ error: 'cloudflareUrl must be a URL string' }).optional(),
  healthCheckEnabled: z.boolean({ error: 'healthCheckEnabled must be true or false' }).default(true),
  healthCheckIntervalSeconds: z
    .int({ error: 'healthCheckIntervalSeconds must be a whole number of seconds' })
    .min(
      healthCheckIntervalSeconds.min,
      `healthCheckIntervalSeconds must be at least ${healthCheckIntervalSeconds.min}`,
    )
    .max(
      healthCheckIntervalSeconds.max,
      `healthCheckIntervalSeconds must be at most ${healthCheckIntervalSeconds.max}`,
    )
    .default(healthCheckIntervalSeconds.default),
  fallbackOnError: z.boolean({ error: 'fallbackOnError must be true or false' }).default(true),
  cacheTtlSeconds: z
    .int({ error: 'cacheTtlSeconds must be a whole number of seconds' })
    .min(cacheTtlSeconds.min, `cacheTtlSeconds must be at least ${cacheTtlSeconds.min}`)
    .max(cacheTtlSeconds.max, `cacheTtlSeconds must be at most ${cacheTtlSeconds.max}`)
    .default(cacheTtlSeconds.default),
  autoSwitch: z
    .object({
      enabled: z.boolean({ error: 'autoSwitch.enabled must be true or false' }),
      rateLimitedPercent: z
        .number({ error: 'autoSwitch.rateLimitedPercent must be a number between 0 and 100' })
        .min(0, 'autoSwitch.rateLimitedPercent must be a number between 0 and 100')
        .max(100, 'autoSwitch.rateLimitedPercent must be a number between 0 and 100'),
      windowMinutes: z
        .int({ error: 'autoSwitch.windowMinutes must be a whole number of minutes' })
        .min(autoSwitchWindowMinutes.min, 'autoSwitch.windowMinutes must be at least 1')
        .max(autoSwitchWindowMinutes.max, 'autoSwitch.windowMinutes must be at most 1440'),
      target: z.enum(AUTO_SWITCH_TARGETS, {
        error: `autoSwitch.target must be one of ${AUTO_SWITCH_TARGETS.join(', ')}`,
      }),
    })
    .optional(),
  // Worded as validate_rollout_guard (migration 20261201120000) words it.
  rolloutGuard: z
    .object(
      {
        enabled: z.boolean({ error: 'rolloutGuard.enabled must be true or false' }),
        errorPercent: z.number({ error: GUARD_PERCENT }).min(0, GUARD_PERCENT).max(100, GUARD_PERCENT),
        windowMinutes: z
          .int({ error: GUARD_WINDOW })
          .min(rolloutGuardWindowMinutes.min, GUARD_WINDOW)
          .max(rolloutGuardWindowMinutes.max, GUARD_WINDOW),
      },
      { error: 'rolloutGuard must be an object' },
    )
    .optional(),
  // Worded as validate_canary_ramp (migration 20261201160000) words it.
  canaryRamp: z
    .object(
      {
        enabled: z.boolean({ error: 'canaryRamp.enabled must be true or false' }),
        steps: z.array(z.number({ error: RAMP_STEPS }), { error: RAMP_STEPS }).refine(isRamp, RAMP_STEPS),
        holdMinutes: z
          .int({ error: RAMP_HOLD })
          .min(canaryRampHoldMinutes.min, RAMP_HOLD)
          .max(canaryRampHoldMinutes.max, RAMP_HOLD),
      },
      { error: 'canaryRamp must be an object' },
    )
    .optional(),
});

export type ConfigFields = z.infer<typeof configFieldsSchema>;

export const KNOWN_SOURCE_TYPES: readonly string[] = SOURCE_TYPES;
