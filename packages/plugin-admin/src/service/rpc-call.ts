import { type AdminError, type ServiceResult, type SupabaseErrorLike, toAdminError } from './admin-error.ts';
import type { AdminSupabaseClient } from './marketplace-config-service.ts';

/**
 * Calls one control-plane function and answers `{ ok, value }` or `{ ok: false, error }`, never
 * throwing: the data read by `read`, a database error worded by `toError` (`toAdminError` unless a
 * client words some codes its own way), a network failure as `toAdminError` words it.
 *
 * @example
 * const hosts = await callRpc(supabase, 'get_source_hosts', {}, (data) => data as unknown[]);
 */
export async function callRpc<T>(
  supabase: AdminSupabaseClient,
  fn: string,
  args: Record<string, unknown>,
  read: (data: unknown) => T,
  toError: (error: SupabaseErrorLike, status: number) => AdminError = toAdminError,
): Promise<ServiceResult<T>> {
  try {
    const { data, error, status } = await supabase.rpc(fn, args);
    if (error) return { ok: false, error: toError(error, status) };
    return { ok: true, value: read(data) };
  } catch (cause) {
    return { ok: false, error: toAdminError({ message: String((cause as Error)?.message ?? cause) }, 0) };
  }
}
