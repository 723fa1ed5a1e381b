import type { SupabaseRpcClient } from '@cartae/marketplace-resolver';
import type { SupabaseClient } from '@supabase/supabase-js';

type RpcAnswer = { data: unknown; error: { message: string; code?: string } | null };

/** An rpc call that can be given an abort signal before it runs, like supabase-js's own builder. */
interface LazyRpc extends PromiseLike<RpcAnswer> {
  abortSignal(signal: AbortSignal): LazyRpc;
}

/**
 * A `supabase-js` client created with `createClient(url, anonKey)` on the first config read,
 * so supabase-js (about half of this page's JavaScript) loads in its own chunk, after the page
 * is up, and only when a Supabase control plane is configured. Keeps supabase-js's
 * `.abortSignal()`, so the resolver's config timeout still cancels the request.
 *
 * @example
 * createMarketplaceSourceResolver({ supabase: createLazySupabaseClient(url, anonKey) });
 */
export function createLazySupabaseClient(url: string, anonKey: string): SupabaseRpcClient {
  let client: Promise<SupabaseClient> | undefined;
  const load = () => {
    client ??= import('@supabase/supabase-js').then(({ createClient }) =>
      // Reads one public RPC as anon: no session to keep, refresh or pick up from the URL.
      createClient(url, anonKey, {
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      }),
    );
    // A failed chunk load is retried on the next read instead of being remembered.
    client.catch(() => {
      client = undefined;
    });
    return client;
  };

  return {
    rpc(fn, args, options) {
      let signal: AbortSignal | undefined;
      const call: LazyRpc = {
        abortSignal(next) {
          signal = next;
          return call;
        },
        // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose, as supabase-js's query builders are
        then(onFulfilled, onRejected) {
          return load()
            .then((supabase) => {
              const builder = supabase.rpc(fn, args, options);
              return (signal ? builder.abortSignal(signal) : builder) as PromiseLike<RpcAnswer>;
            })
            .then(onFulfilled, onRejected);
        },
      };
      return call;
    },
  };
}
