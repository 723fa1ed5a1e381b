import type { Alert } from '../alerts/alert.ts';
import { type AlertSecretEnv, alertDestination } from '../alerts/alert-target.ts';
import { deliverAlert } from '../alerts/deliver-alert.ts';
import { recordAlert } from '../alerts/record-alert.ts';
import { watchMirror } from '../alerts/watch-mirror.ts';
import { mirrorOnce } from '../registry/current-registry.ts';
import type { WorkerEnv } from '../worker-env.ts';
import type { WorkerPlatform } from '../worker-platform.ts';
import type { WorkerSettings } from '../worker-settings.ts';
import { automationAlerts } from './automation-alerts.ts';
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
 * One run of the once-a-minute Cron Trigger: the Git mirror on 5-minute marks and, every minute
 * in parallel with it (neither waits for or breaks the other), the fleet automation's evaluation.
 * Then the alerts: the evaluation's (an automatic action, a source's fleet-wide health) and the
 * mirror check's, each kept in the admin's alert feed (`record_fleet_alert`) and POSTed to the
 * webhook — the one in the fleet settings, else ALERT_WEBHOOK_URL — with retries, through
 * `waitUntil`. The mirror is checked when there is somewhere to say it: the feed or a webhook.
 * Only a mirror failure of KV itself is thrown, as before, so Cloudflare records the run as
 * failed; the rest never throws.
 *
 * @example
 * await runScheduledMinute({ env, settings, platform, scheduledTime: controller.scheduledTime, waitUntil });
 */
export async function runScheduledMinute(deps: ScheduledMinuteDependencies): Promise<void> {
  const { env, settings, platform } = deps;
  const automation = fleetAutomation(env, settings);
  const mirror = isMirrorMinute(deps.scheduledTime)
    ? mirrorOnce({ kv: env.REGISTRY_KV, settings, githubToken: env.GITHUB_TOKEN, platform })
    : Promise.resolve(undefined);
  const answer = await evaluateMinute(automation, platform);
  const alerts = alertDestination(env, settings, answer?.alertWebhook);

  const awaited: Promise<unknown>[] = [];
  const keep = (work: Promise<unknown>) => {
    if (deps.waitUntil) deps.waitUntil(work);
    else awaited.push(work);
  };
  const send = (alert: Alert) => {
    if (automation.enabled) keep(recordAlert(automation.alertFeed, alert, platform));
    if (alerts.enabled) keep(deliverAlert(alerts.target, alert, platform));
    else platform.log('alert_not_sent', { alert: alert.event, reason: alerts.reason, text: alert.text });
  };
  for (const alert of automationAlerts(answer, platform.now())) send(alert);
  await mirror.catch(() => undefined);
  if (automation.enabled || alerts.enabled) await watchMirror(env.REGISTRY_KV, platform, send);
  await Promise.all(awaited);
  await mirror;
}
