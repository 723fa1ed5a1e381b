import type { Alert } from '../alerts/alert.ts';
import { type AlertSecretEnv, alertDestination } from '../alerts/alert-target.ts';
import { deliverAlert } from '../alerts/deliver-alert.ts';
import { watchMirror } from '../alerts/watch-mirror.ts';
import { mirrorOnce } from '../registry/current-registry.ts';
import type { WorkerEnv } from '../worker-env.ts';
import type { WorkerPlatform } from '../worker-platform.ts';
import type { WorkerSettings } from '../worker-settings.ts';
import { evaluateMinute } from './evaluate-minute.ts';
import { fleetAutomation } from './fleet-automation-target.ts';
import { isMirrorMinute } from './mirror-minute.ts';

export interface ScheduledMinuteDependencies {
  readonly env: WorkerEnv & AlertSecretEnv;
  readonly settings: WorkerSettings;
  readonly platform: WorkerPlatform;
  /** `controller.scheduledTime`: decides whether this run mirrors Git. */
  readonly scheduledTime: number;
  /** Keeps the invocation alive for alert deliveries (`ctx.waitUntil`); without it they are awaited. */
  readonly waitUntil?: ((work: Promise<unknown>) => void) | undefined;
}

/**
 * One run of the once-a-minute Cron Trigger: the Git mirror on 5-minute marks; every minute, the
 * fleet automation's evaluation (in parallel with the mirror, so neither waits for or breaks the
 * other) and, when alerts are on, the mirror check after the mirror. Alerts are delivered with
 * retries through `waitUntil`. Only a mirror failure of KV itself is thrown, as before, so
 * Cloudflare records the run as failed; the rest never throws.
 *
 * @example
 * await runScheduledMinute({ env, settings, platform, scheduledTime: controller.scheduledTime, waitUntil });
 */
export async function runScheduledMinute(deps: ScheduledMinuteDependencies): Promise<void> {
  const { env, settings, platform } = deps;
  const alerts = alertDestination(env, settings);
  const awaited: Promise<unknown>[] = [];
  const send = (alert: Alert) => {
    if (!alerts.enabled) {
      platform.log('alert_not_sent', { alert: alert.event, reason: alerts.reason, text: alert.text });
      return;
    }
    const delivery = deliverAlert(alerts.target, alert, platform);
    if (deps.waitUntil) deps.waitUntil(delivery);
    else awaited.push(delivery);
  };
  const mirror = isMirrorMinute(deps.scheduledTime)
    ? mirrorOnce({ kv: env.REGISTRY_KV, settings, githubToken: env.GITHUB_TOKEN, platform })
    : Promise.resolve(undefined);
  const watch = mirror
    .catch(() => undefined)
    .then(() => (alerts.enabled ? watchMirror(env.REGISTRY_KV, platform, send) : undefined));
  await Promise.all([evaluateMinute(fleetAutomation(env, settings), platform, send), watch]);
  await Promise.all(awaited);
  await mirror;
}
