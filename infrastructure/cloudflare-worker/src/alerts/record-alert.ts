import { callServiceRoleRpc, type ServiceRoleRpcTarget } from '../http/service-role-rpc.ts';
import type { WorkerPlatform } from '../worker-platform.ts';
import type { Alert } from './alert.ts';

/** A feed write that takes longer is given up (logged); the webhook delivery does not wait for it. */
export const RECORD_ALERT_TIMEOUT_MS = 10_000;

/**
 * Adds the alert to the admin's alert feed: `record_fleet_alert` with the service role key
 * (supabase/README.md, "Alerts"). One attempt: a failure is one `alert_not_recorded` log line
 * (the webhook, when on, still gets the alert). Never throws.
 *
 * @example
 * ctx.waitUntil(recordAlert(feed, alert, platform)); // true when the feed has it
 */
export async function recordAlert(
  feed: ServiceRoleRpcTarget,
  alert: Alert,
  platform: WorkerPlatform,
): Promise<boolean> {
  const call = await callServiceRoleRpc(feed, JSON.stringify({ p_alert: alert }), platform, {
    timeoutMs: RECORD_ALERT_TIMEOUT_MS,
  });
  if (!call.ok) platform.log('alert_not_recorded', { alert: alert.event, error: call.error });
  return call.ok;
}
