import { MarketplaceError, parseControlPlaneSnapshot } from '@cartae/marketplace-core';
import type { ConfigProvider } from './config-provider.ts';

/** The slice of a `supabase-js` client this provider uses (structural, so no runtime import). */
export interface SupabaseRpcClient {
  rpc(
    fn: string,
    args?: Record<string, unknown>,
    options?: { get?: boolean },
  ): PromiseLike<{ data: unknown; error: { message: string; code?: string } | null }>;
}

/**
 * Reads the config with `rpc('get_marketplace_config')` through `supabase-js`.
 *
 * @example
 * import { createClient } from '@supabase/supabase-js';
 * createSupabaseConfigProvider(createClient(SUPABASE_URL, SUPABASE_ANON_KEY));
 */
export function createSupabaseConfigProvider(
  client: SupabaseRpcClient,
  options: { name?: string } = {},
): ConfigProvider {
  return {
    name: options.name ?? 'supabase',
    async load({ signal }) {
      try {
        const rpc = client.rpc('get_marketplace_config', {}, { get: true }) as PromiseLike<{
          data: unknown;
          error: { message: string; code?: string } | null;
        }> & { abortSignal?: (signal: AbortSignal) => unknown };
        const request = typeof rpc.abortSignal === 'function' ? (rpc.abortSignal(signal) as typeof rpc) : rpc;
        const { data, error } = await request;
        if (error) {
          return {
            kind: 'failed',
            error: new MarketplaceError(
              'source_http_error',
              `Supabase get_marketplace_config failed: ${error.message}`,
              { cause: error },
            ),
          };
        }
        const snapshot = parseControlPlaneSnapshot(data);
        return snapshot.ok
          ? { kind: 'loaded', snapshot: snapshot.value }
          : { kind: 'failed', error: snapshot.error };
      } catch (cause) {
        return {
          kind: 'failed',
          error: new MarketplaceError('source_network_error', 'Supabase is unreachable', { cause }),
        };
      }
    },
  };
}
