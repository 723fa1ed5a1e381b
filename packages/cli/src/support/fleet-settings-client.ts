import type { FleetSettings, FleetSettingsChange } from '@cartae/marketplace-core';
import {
  type AdminSupabaseClient,
  callRpc,
  type FleetAlert,
  parseFleetAlerts,
  type ServiceResult,
  toAdminError,
} from '@cartae/plugin-admin/service';

export type { FleetAlert };

/**
 * The fleet settings and the alert feed (migration 20261201150000), for marketplace admins. Like
 * `MarketplaceConfigService`, every method answers `{ ok, value }` or `{ ok: false, error }` and
 * never throws.
 *
 * @example
 * const fleet = new FleetSettingsClient(supabase);
 * const paused = await fleet.update({ automationPaused: true });
 */
export class FleetSettingsClient {
  constructor(private readonly supabase: AdminSupabaseClient) {}

  settings(): Promise<ServiceResult<FleetSettings>> {
    return this.call('get_fleet_settings', {}, (data) => data as FleetSettings);
  }

  /** Applies the fields present, all or nothing; a change that changes nothing writes nothing. */
  update(change: FleetSettingsChange): Promise<ServiceResult<FleetSettings>> {
    return this.call('update_fleet_settings', { p_changes: change }, (data) => data as FleetSettings);
  }

  /** Newest first, at most `limit` (1–500); page with `beforeId`. */
  alerts(options: { limit: number; beforeId?: number }): Promise<ServiceResult<FleetAlert[]>> {
    return this.call(
      'get_fleet_alerts',
      { p_limit: options.limit, p_before_id: options.beforeId ?? null },
      parseFleetAlerts,
    );
  }

  private call<T>(fn: string, args: Record<string, unknown>, read: (data: unknown) => T) {
    return callRpc(this.supabase, fn, args, read, toSettingsError);
  }
}

/** As `toAdminError`, but a refusal names the fleet settings, in the database's own words. */
function toSettingsError(error: Parameters<typeof toAdminError>[0], status: number) {
  const adminError = toAdminError(error, status);
  return adminError.kind === 'invalid'
    ? { kind: adminError.kind, message: `The fleet settings were refused: ${error.message}` }
    : adminError;
}
