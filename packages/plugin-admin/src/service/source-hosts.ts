import { type ServiceResult, toAdminError } from './admin-error.ts';
import type { AdminSupabaseClient } from './marketplace-config-service.ts';
import { callRpc } from './rpc-call.ts';

/** One host on the control plane's list of source hosts (`get_source_hosts`). */
export interface SourceHost {
  readonly host: string;
  readonly addedAt: string;
  readonly addedByEmail: string | null;
  readonly note: string | null;
  /** The current config names it in gitUrl or cloudflareUrl. */
  readonly inUse: boolean;
}

/**
 * The list of source hosts (migration 20261201190000), for marketplace admins. Every method
 * answers `{ ok, value }` or `{ ok: false, error }` and never throws.
 *
 * @example
 * const added = await new SourceHostsClient(supabase).add('cdn2.cartae.com', 'second CDN'); // { ok: true, value: true }
 */
export class SourceHostsClient {
  constructor(private readonly supabase: AdminSupabaseClient) {}

  list(): Promise<ServiceResult<SourceHost[]>> {
    return this.call('get_source_hosts', {}, (data) => (Array.isArray(data) ? data.map(toHost) : []));
  }

  /** True when added, false when it was already there (nothing written). */
  add(host: string, note: string | undefined): Promise<ServiceResult<boolean>> {
    return this.call('add_source_host', { p_host: host, p_note: note ?? null }, (data) => data === true);
  }

  /** True when removed, false when it was not there. */
  remove(host: string): Promise<ServiceResult<boolean>> {
    return this.call('remove_source_host', { p_host: host }, (data) => data === true);
  }

  private call<T>(fn: string, args: Record<string, unknown>, read: (data: unknown) => T) {
    return callRpc(this.supabase, fn, args, read, toHostsError);
  }
}

/**
 * As `toAdminError`, but a refused host or a host in use keeps the database's own words (the
 * generic conflict message speaks of a concurrent edit, which is not what happened here).
 */
function toHostsError(error: Parameters<typeof toAdminError>[0] & { code?: string }, status: number) {
  if (error.code === 'PT409') return { kind: 'conflict' as const, message: error.message };
  if (error.code === '22023') return { kind: 'invalid' as const, message: error.message };
  return toAdminError(error, status);
}

function toHost(row: Record<string, unknown>): SourceHost {
  return {
    host: String(row.host),
    addedAt: String(row.added_at),
    addedByEmail: row.added_by_email === null ? null : String(row.added_by_email),
    note: row.note === null ? null : String(row.note),
    inUse: row.in_use === true,
  };
}
