import type { ControlPlaneWebhook } from '../automation/fleet-automation-answer.ts';
import type { WorkerSettings } from '../worker-settings.ts';
import { readAlertWebhookUrl } from './alert-webhook-setting.ts';

/** The optional secret that signs alerts. Not in `secrets.required`: see wrangler.jsonc. */
export interface AlertSecretEnv {
  readonly ALERT_WEBHOOK_SECRET?: string;
}

/** Where alerts go, and the secret that signs them (none: sent unsigned). */
export interface AlertTarget {
  readonly url: string;
  readonly secret: string | undefined;
}

export type AlertDestination =
  | { readonly enabled: true; readonly target: AlertTarget }
  | { readonly enabled: false; readonly state: 'off' | 'refused'; readonly reason: string };

/**
 * The one judgement of whether this deployment sends alerts, and where: the webhook set in the
 * fleet settings (the control plane's answer this minute) when there is one, else
 * ALERT_WEBHOOK_URL with ALERT_WEBHOOK_SECRET. Either URL must pass the URL policy. Pure.
 *
 * @example
 * alertDestination(env, settings); // { enabled: false, state: 'off', reason: 'alerts off: ALERT_WEBHOOK_URL is empty and no webhook is set in the fleet settings' }
 */
export function alertDestination(
  env: AlertSecretEnv,
  settings: Pick<WorkerSettings, 'alertWebhook' | 'urlPolicy'>,
  fromControlPlane?: ControlPlaneWebhook,
): AlertDestination {
  if (fromControlPlane !== undefined) {
    const read = readAlertWebhookUrl(fromControlPlane.url, settings.urlPolicy);
    if (read.kind === 'on')
      return { enabled: true, target: { url: read.url, secret: fromControlPlane.secret } };
    return {
      enabled: false,
      state: 'refused',
      reason:
        read.kind === 'refused'
          ? read.reason.replace('ALERT_WEBHOOK_URL', "the fleet settings' webhook URL")
          : "the fleet settings' webhook URL is empty; alerts are off",
    };
  }
  const webhook = settings.alertWebhook;
  if (webhook.kind === 'off') {
    return {
      enabled: false,
      state: 'off',
      reason: 'alerts off: ALERT_WEBHOOK_URL is empty and no webhook is set in the fleet settings',
    };
  }
  if (webhook.kind === 'refused') return { enabled: false, state: 'refused', reason: webhook.reason };
  const secret = env.ALERT_WEBHOOK_SECRET?.trim() ?? '';
  return { enabled: true, target: { url: webhook.url, secret: secret === '' ? undefined : secret } };
}
