import { checkUrl } from '@cartae/marketplace-core';
import type { WorkerEnv } from '../worker-env.ts';
import type { WorkerSettings } from '../worker-settings.ts';

/** Where the minute's evaluation goes: `evaluate_fleet_automation` with the service role key. */
export interface FleetAutomationTarget {
  readonly url: string;
  readonly serviceRoleKey: string;
}

export type FleetAutomation =
  | {
      readonly enabled: true;
      readonly target: FleetAutomationTarget;
      /** `record_fleet_alert`: where every alert is also kept, for the admin's feed. */
      readonly alertFeed: FleetAutomationTarget;
    }
  | { readonly enabled: false; readonly reason: string };

/**
 * The one judgement of whether the cron asks the control plane to evaluate the fleet automation
 * (and keeps alerts in its feed).
 * It needs SUPABASE_URL (passing the URL policy) and the service role key; without them the
 * Worker skips the call and /health says why. Pure.
 *
 * @example
 * fleetAutomation(env, settings); // { enabled: false, reason: 'automation disabled: SUPABASE_SERVICE_ROLE_KEY is not set' }
 */
export function fleetAutomation(
  env: Partial<Pick<WorkerEnv, 'SUPABASE_URL' | 'SUPABASE_SERVICE_ROLE_KEY'>>,
  settings: Pick<WorkerSettings, 'urlPolicy'>,
): FleetAutomation {
  const key = env.SUPABASE_SERVICE_ROLE_KEY?.trim() ?? '';
  if (key === '') {
    return { enabled: false, reason: 'automation disabled: SUPABASE_SERVICE_ROLE_KEY is not set' };
  }
  const raw = env.SUPABASE_URL?.trim() ?? '';
  if (raw === '') return { enabled: false, reason: 'automation disabled: SUPABASE_URL is not set' };
  const base = checkUrl(raw, settings.urlPolicy);
  if (!base.ok) return { enabled: false, reason: `automation disabled: SUPABASE_URL ${base.error}` };
  const rpc = `${base.value.replace(/\/+$/, '')}/rest/v1/rpc`;
  return {
    enabled: true,
    target: { url: `${rpc}/evaluate_fleet_automation`, serviceRoleKey: key },
    alertFeed: { url: `${rpc}/record_fleet_alert`, serviceRoleKey: key },
  };
}
