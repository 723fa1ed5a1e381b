import { type AlertSecretEnv, alertDestination } from '../alerts/alert-target.ts';
import type { WorkerEnv } from '../worker-env.ts';
import type { WorkerSettings } from '../worker-settings.ts';
import { fleetAutomation } from './fleet-automation-target.ts';
import { MIRROR_EVERY_MINUTES } from './mirror-minute.ts';

/** The `automation` section of /health: what the once-a-minute cron does with this deployment's settings. */
export interface AutomationHealth {
  readonly schedule: string;
  /** `evaluate_fleet_automation` every minute, or why not. */
  readonly evaluation: { readonly state: 'enabled' | 'disabled'; readonly message: string | null };
  /** `on` (signed or not), `off` (ALERT_WEBHOOK_URL empty) or `refused` (the URL failed the URL policy: never fetched). */
  readonly alerts: {
    readonly state: 'on' | 'off' | 'refused';
    readonly signed: boolean;
    readonly message: string | null;
  };
}

/**
 * The `automation` section of /health, from settings alone (no I/O; each run's outcome is a log
 * line, `wrangler tail`). Like `usage`, it never changes `status`. Pure.
 *
 * @example
 * automationHealth(env, settings).alerts; // { state: 'refused', signed: false, message: 'ALERT_WEBHOOK_URL must use https …' }
 */
export function automationHealth(
  env: WorkerEnv & AlertSecretEnv,
  settings: WorkerSettings,
): AutomationHealth {
  const automation = fleetAutomation(env, settings);
  const alerts = alertDestination(env, settings);
  return {
    schedule: `every minute; the Git mirror every ${MIRROR_EVERY_MINUTES} minutes`,
    evaluation: automation.enabled
      ? { state: 'enabled', message: null }
      : { state: 'disabled', message: automation.reason },
    alerts: alerts.enabled
      ? {
          state: 'on',
          signed: alerts.target.secret !== undefined,
          message:
            alerts.target.secret === undefined
              ? 'alerts are sent unsigned: ALERT_WEBHOOK_SECRET is not set'
              : null,
        }
      : { state: alerts.state, signed: false, message: alerts.reason },
  };
}
