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
  /**
   * ALERT_WEBHOOK_URL: `on` (signed or not), `off` (empty) or `refused` (it failed the URL policy:
   * never fetched). A webhook set in the fleet settings wins over it; that one is known only to
   * each minute's run (its log lines say when it is refused).
   */
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
      : {
          state: alerts.state,
          signed: false,
          message:
            alerts.state === 'off' && automation.enabled
              ? 'ALERT_WEBHOOK_URL is empty: alerts go to the webhook set in the fleet settings, if any; the alert feed keeps them either way'
              : alerts.reason,
        },
  };
}
