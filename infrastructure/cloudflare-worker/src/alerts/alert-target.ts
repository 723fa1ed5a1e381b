import type { WorkerSettings } from '../worker-settings.ts';

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
 * The one judgement of whether this deployment sends alerts, and where. Pure.
 *
 * @example
 * alertDestination(env, settings); // { enabled: false, state: 'off', reason: 'alerts off: ALERT_WEBHOOK_URL is empty' }
 */
export function alertDestination(
  env: AlertSecretEnv,
  settings: Pick<WorkerSettings, 'alertWebhook'>,
): AlertDestination {
  const webhook = settings.alertWebhook;
  if (webhook.kind === 'off') {
    return { enabled: false, state: 'off', reason: 'alerts off: ALERT_WEBHOOK_URL is empty' };
  }
  if (webhook.kind === 'refused') return { enabled: false, state: 'refused', reason: webhook.reason };
  const secret = env.ALERT_WEBHOOK_SECRET?.trim() ?? '';
  return { enabled: true, target: { url: webhook.url, secret: secret === '' ? undefined : secret } };
}
