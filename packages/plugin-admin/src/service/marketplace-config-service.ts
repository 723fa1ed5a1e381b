import {
  type FleetSettings,
  type SourceKind,
  type TrustedRegistryKey,
  type UrlPolicy,
  validateFleetSettingsChange,
} from '@cartae/marketplace-core';
import type { ResolverStats } from '@cartae/marketplace-resolver';
import { type FleetAlert, parseFleetAlerts } from '../model/fleet-alerts.ts';
import { parseFleetSettings } from '../model/fleet-settings-view.ts';
import { type FleetUsage, parseFleetUsage } from '../model/fleet-usage.ts';
import {
  type AdminError,
  fleetSettingsError,
  type ServiceResult,
  type SupabaseErrorLike,
} from './admin-error.ts';
import { type AdminsClient, MarketplaceAdmins } from './marketplace-admins.ts';
import { callRpc } from './rpc-call.ts';
import { SourceHostsClient } from './source-hosts.ts';
import { type SourceTestResult, testSource } from './test-source.ts';

/** The config as the control plane holds it: the raw document (unknown keys kept) and its version. */
export interface ControlPlaneConfig {
  readonly document: Record<string, unknown>;
  readonly version: number;
  readonly updatedAt: string;
  /**
   * After a save or rollback: false when the control plane made no version because the document
   * already was the current one (migration 20261201180000); true otherwise, and for reads.
   */
  readonly changed: boolean;
}

/** One row of `app_config_history`. */
export interface HistoryEntry {
  readonly id: number;
  readonly version: number;
  readonly oldValue: Record<string, unknown> | null;
  readonly newValue: Record<string, unknown>;
  readonly changedAt: string;
  readonly changedBy: string | null;
  readonly changedByEmail: string | null;
  readonly changedByName: string | null;
  readonly reason: string | null;
  /**
   * `migration`, `admin`, `rollback`, `auto-switch`, or an origin added later (`auto-rollback`):
   * read as any string, shown as it is when the panel does not know it.
   */
  readonly origin: string;
  /** The figures behind an automatic change (`app_config_history.evidence`), as stored; null otherwise. */
  readonly evidence: unknown;
}

/** The slice of a `supabase-js` client the service uses. */
export interface AdminSupabaseClient {
  rpc(
    fn: string,
    args?: Record<string, unknown>,
  ): PromiseLike<{ data: unknown; error: SupabaseErrorLike | null; status: number }>;
}

/** Where usage figures come from: this app's resolver now, fleet telemetry later. */
export interface UsageSource {
  getStats(): ResolverStats;
}

const CONFIG_KEY = 'marketplace_source';
/** The longest window `get_fleet_usage` serves: 7 days, the per-minute retention. */
export const FLEET_USAGE_MAX_MINUTES = 10_080;

/**
 * The only code in the admin plugin that talks to the control plane. Every method returns
 * `{ ok, value }` or `{ ok: false, error }` with an {@link AdminError} a person can act on; none
 * throws.
 *
 * @example
 * const service = new MarketplaceConfigService(supabase);
 * const saved = await service.update(doc, { reason: 'Git rate limit', expectedVersion: 7 });
 * if (!saved.ok && saved.error.kind === 'conflict') reviewAndRetry();
 */
export class MarketplaceConfigService {
  constructor(
    private readonly supabase: AdminSupabaseClient,
    private readonly options: {
      fetch?: typeof fetch;
      urlPolicy?: UrlPolicy;
      trustedKeys?: readonly TrustedRegistryKey[];
      usage?: UsageSource;
    } = {},
  ) {}

  /**
   * The current config. Calls made while a read is in flight share it (opening Monitoring asks
   * for it three times at once: one request); a save or a rollback makes later calls read afresh.
   */
  get(): Promise<ServiceResult<ControlPlaneConfig>> {
    if (this.configRead) return this.configRead;
    const read = this.call('get_marketplace_config', {}, toConfig);
    this.configRead = read;
    void read.finally(() => {
      if (this.configRead === read) this.configRead = undefined;
    });
    return read;
  }

  /** The config read in flight, shared by every `get()` meanwhile. */
  private configRead: Promise<ServiceResult<ControlPlaneConfig>> | undefined;

  /** Is the signed-in user a marketplace admin? */
  async isAdmin(): Promise<ServiceResult<boolean>> {
    return this.call('is_marketplace_admin', {}, (data) => data === true);
  }

  /** Saves a new document. With `expectedVersion`, refuses (conflict) if someone saved since. */
  async update(
    document: Record<string, unknown>,
    options: { reason?: string; expectedVersion?: number } = {},
  ): Promise<ServiceResult<ControlPlaneConfig>> {
    this.configRead = undefined;
    return this.call(
      'update_app_config',
      {
        p_config_key: CONFIG_KEY,
        p_config_value: document,
        p_reason: options.reason?.trim() || null,
        p_expected_version: options.expectedVersion ?? null,
      },
      toConfig,
    );
  }

  /**
   * Restores one history entry's document as a new version. With `expectedVersion`, refuses
   * (conflict) if someone saved since; restoring the current content makes no version
   * (`changed: false`). A string is the reason alone (the older form).
   *
   * @example
   * const back = await service.rollback(entry.id, { reason: 'bad CDN', expectedVersion: 9 });
   * if (back.ok && !back.value.changed) say('Nothing changed');
   */
  async rollback(
    historyId: number,
    options: string | { reason?: string; expectedVersion?: number } = {},
  ): Promise<ServiceResult<ControlPlaneConfig>> {
    const { reason, expectedVersion } = typeof options === 'string' ? { reason: options } : options;
    this.configRead = undefined;
    return this.call(
      'rollback_app_config',
      {
        p_history_id: historyId,
        p_reason: reason?.trim() || null,
        ...(expectedVersion === undefined ? {} : { p_expected_version: expectedVersion }),
      },
      toConfig,
    );
  }

  /** Newest first; page with `beforeId` (the last id of the previous page). */
  async history(options: { limit?: number; beforeId?: number } = {}): Promise<ServiceResult<HistoryEntry[]>> {
    return this.call(
      'get_app_config_history',
      {
        p_config_key: CONFIG_KEY,
        p_limit: options.limit ?? 50,
        ...(options.beforeId === undefined ? {} : { p_before_id: options.beforeId }),
      },
      (data) => (Array.isArray(data) ? data.map(toHistoryEntry) : []),
    );
  }

  /** Fetches a source's registry from this browser and validates it. */
  testSource(kind: SourceKind, url: string): Promise<SourceTestResult> {
    return testSource(kind, url, {
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      ...(this.options.urlPolicy ? { policy: this.options.urlPolicy } : {}),
      ...(this.options.trustedKeys ? { trustedKeys: this.options.trustedKeys } : {}),
    });
  }

  /**
   * What the fleet reported over the last `minutes` minutes (1 to 10,080; marketplace admins
   * only): per-source totals, a per-minute series, installs per config version. The answer is
   * read defensively (see `parseFleetUsage`); one that is not an object at all is an error.
   *
   * @example
   * const day = await service.getFleetUsage(1440);
   * if (day.ok) day.value.sources.git?.rateLimited;
   */
  async getFleetUsage(minutes = 60): Promise<ServiceResult<FleetUsage>> {
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > FLEET_USAGE_MAX_MINUTES) {
      return {
        ok: false,
        error: {
          kind: 'invalid',
          message: `The fleet usage window must be a whole number of minutes from 1 to ${FLEET_USAGE_MAX_MINUTES} (7 days), not ${minutes}.`,
        },
      };
    }
    const result = await this.call('get_fleet_usage', { p_minutes: minutes }, parseFleetUsage);
    if (!result.ok) return result;
    if (result.value) return { ok: true, value: result.value };
    return {
      ok: false,
      error: {
        kind: 'unknown',
        message:
          'The control plane answered fleet usage in a form this panel cannot read. Update the admin panel, or check the get_fleet_usage migration.',
      },
    };
  }

  /**
   * The fleet settings (marketplace admins only): the automation's kill switch, the alert webhook
   * (masked) and whether its secret is set, the source health rule, who changed them last.
   */
  async getFleetSettings(): Promise<ServiceResult<FleetSettings>> {
    return this.readSettings(await this.call('get_fleet_settings', {}, parseFleetSettings));
  }

  /**
   * Applies the fields present in `change` (marketplace admins only), after checking them as the
   * database does (`validateFleetSettingsChange`, same words): an invalid change is refused here
   * and never sent. Answers the settings after the change.
   *
   * @example
   * const paused = await service.updateFleetSettings({ automationPaused: true });
   * if (!paused.ok) show(paused.error.message);
   */
  async updateFleetSettings(change: unknown): Promise<ServiceResult<FleetSettings>> {
    const checked = validateFleetSettingsChange(change, this.options.urlPolicy);
    if (!checked.ok) return { ok: false, error: fleetSettingsError(checked.error) };
    return this.readSettings(
      await this.call('update_fleet_settings', { p_changes: checked.value }, parseFleetSettings),
    );
  }

  /** The alert feed, newest first (marketplace admins only); page with `beforeId` (the last id shown). */
  async getFleetAlerts(
    options: { limit?: number; beforeId?: number } = {},
  ): Promise<ServiceResult<FleetAlert[]>> {
    return this.call(
      'get_fleet_alerts',
      {
        p_limit: options.limit ?? 50,
        ...(options.beforeId === undefined ? {} : { p_before_id: options.beforeId }),
      },
      parseFleetAlerts,
    );
  }

  private readSettings(result: ServiceResult<FleetSettings | undefined>): ServiceResult<FleetSettings> {
    if (!result.ok) return result;
    if (result.value) return { ok: true, value: result.value };
    return {
      ok: false,
      error: {
        kind: 'unknown',
        message:
          'The control plane answered the fleet settings in a form this panel cannot read. Update the admin panel, or check the fleet settings migration.',
      },
    };
  }

  /** Usage figures of this app's own resolver (the fleet's are {@link getFleetUsage}). */
  usageSummary(): ServiceResult<ResolverStats & { scope: 'this-app' }> {
    if (!this.options.usage) {
      return {
        ok: false,
        error: { kind: 'unknown', message: 'No resolver is attached, so there are no usage figures.' },
      };
    }
    return { ok: true, value: { ...this.options.usage.getStats(), scope: 'this-app' } };
  }

  /** The marketplace admins (list, add, remove) through the same signed-in client. */
  admins(): MarketplaceAdmins {
    return new MarketplaceAdmins(this.supabase as AdminsClient);
  }

  /** The control plane's list of source hosts (admins only), on this client. */
  sourceHosts(): SourceHostsClient {
    return new SourceHostsClient(this.supabase);
  }

  private call<T>(fn: string, args: Record<string, unknown>, read: (data: unknown) => T) {
    return callRpc(this.supabase, fn, args, read);
  }
}

function toConfig(data: unknown): ControlPlaneConfig {
  const row = (Array.isArray(data) ? data[0] : data) as Record<string, unknown>;
  return {
    document: (row.config_value ?? {}) as Record<string, unknown>,
    version: Number(row.version),
    updatedAt: String(row.updated_at),
    changed: row.changed !== false,
  };
}

function toHistoryEntry(row: Record<string, unknown>): HistoryEntry {
  return {
    id: Number(row.id),
    version: Number(row.version),
    oldValue: (row.old_value ?? null) as Record<string, unknown> | null,
    newValue: (row.new_value ?? {}) as Record<string, unknown>,
    changedAt: String(row.changed_at),
    changedBy: (row.changed_by ?? null) as string | null,
    changedByEmail: (row.changed_by_email ?? null) as string | null,
    changedByName: (row.changed_by_name ?? null) as string | null,
    reason: (row.reason ?? null) as string | null,
    origin: typeof row.origin === 'string' ? row.origin : '',
    evidence: row.evidence ?? null,
  };
}

export type { AdminError };
