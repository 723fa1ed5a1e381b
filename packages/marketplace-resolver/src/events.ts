import type { MarketplaceError, MarketplaceSourceConfig, SourceKind } from '@cartae/marketplace-core';

/** Everything a resolver announces. Listeners get these as plain objects. */
export type ResolverEvent =
  | {
      readonly type: 'config-changed';
      readonly config: MarketplaceSourceConfig;
      readonly version: number | undefined;
      readonly previousVersion: number | undefined;
      readonly origin: ConfigOrigin;
    }
  | { readonly type: 'config-rejected'; readonly error: MarketplaceError; readonly provider: string }
  | { readonly type: 'config-refresh-failed'; readonly errors: readonly MarketplaceError[] }
  | {
      readonly type: 'source-ejected';
      readonly source: SourceKind;
      readonly until: number;
      readonly reason: string;
    }
  | { readonly type: 'source-readmitted'; readonly source: SourceKind }
  | {
      readonly type: 'fallback';
      readonly path: string;
      readonly from: SourceKind;
      readonly to: SourceKind;
      readonly error: MarketplaceError;
    }
  | {
      readonly type: 'stale';
      readonly path: string;
      readonly ageMs: number;
      readonly error: MarketplaceError;
    }
  /**
   * The registry in use could not be saved (IndexedDB over its quota or refused — private mode,
   * blocked —, a full localStorage, an unwritable folder): it works now but will not survive a
   * reload or restart. Counted in `getStats().registryNotSaved`. An app may tell its user, or
   * pass a storage that can hold it.
   */
  | {
      readonly type: 'registry-not-saved';
      readonly version: number;
      readonly bytes: number;
      readonly code: 'storage_full' | 'storage_unavailable';
      readonly message: string;
    };

/** Where the config in use came from. */
export type ConfigOrigin = 'built-in' | 'persisted' | 'provider';

export type ResolverListener = (event: ResolverEvent) => void;

/** A tiny typed emitter: `subscribe` returns its own unsubscribe. Listener errors are contained. */
export class EventHub {
  private readonly listeners = new Set<ResolverListener>();

  subscribe(listener: ResolverListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: ResolverEvent, onListenerError: (error: unknown) => void): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        onListenerError(error);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
