import type { ConfigSnapshot, MarketplaceError } from '@cartae/marketplace-core';

export type ConfigLoadOutcome =
  | {
      readonly kind: 'loaded';
      readonly snapshot: ConfigSnapshot;
      readonly etag?: string;
      /** A copy kept while the control plane fails (the Worker's `x-config-stale`): never renews the TTL. */
      readonly stale?: boolean;
    }
  /** The provider confirmed the copy the resolver holds is current (HTTP 304). */
  | { readonly kind: 'not-modified'; readonly stale?: boolean }
  | { readonly kind: 'failed'; readonly error: MarketplaceError };

export interface ConfigLoadContext {
  readonly signal: AbortSignal;
  /** ETag of the copy the resolver holds from this provider, for a conditional request. */
  readonly etag?: string;
  readonly fetch: typeof globalThis.fetch;
  /**
   * No caller waits on this round (a timed poll, or a refresh a request started without waiting).
   * Only such rounds may carry a usage report, so telemetry never delays a caller.
   */
  readonly background?: boolean;
}

/**
 * Somewhere the marketplace config can be read from. The resolver asks its providers in order
 * and uses the first answer, unless its version is older than the one adopted; an answer marked
 * `stale` never renews the TTL (see `config-adoption.ts`). Providers never throw: failures come
 * back as `failed`.
 */
export interface ConfigProvider {
  readonly name: string;
  load(context: ConfigLoadContext): Promise<ConfigLoadOutcome>;
}
