import { checkUrl, type UrlPolicy } from '@cartae/marketplace-core';

/** ALERT_WEBHOOK_URL as read: no alerts, a URL that passed the URL policy, or a URL refused by it. */
export type AlertWebhookSetting =
  | { readonly kind: 'off' }
  | { readonly kind: 'on'; readonly url: string }
  | { readonly kind: 'refused'; readonly reason: string };

/**
 * Reads ALERT_WEBHOOK_URL with the project's URL policy (https; http only to localhost when
 * ALLOW_LOOPBACK_HTTP is on). A refused URL is never fetched: alerts are off and /health says why.
 * Pure.
 *
 * @example
 * readAlertWebhookUrl('http://hooks.example.com/x', { allowLoopbackHttp: false }).kind; // 'refused'
 */
export function readAlertWebhookUrl(raw: string | undefined, policy: UrlPolicy): AlertWebhookSetting {
  const trimmed = raw?.trim() ?? '';
  if (trimmed === '') return { kind: 'off' };
  const checked = checkUrl(trimmed, policy);
  if (checked.ok) return { kind: 'on', url: checked.value };
  return { kind: 'refused', reason: `ALERT_WEBHOOK_URL ${checked.error}; alerts are off` };
}
