import type { MarketplaceError, RegistryDocument, SourceKind } from '@cartae/marketplace-core';
import type { ConfigOrigin, RegistryResult } from '@cartae/marketplace-resolver';
import type { ReadSpan } from './read-timing.ts';
import type { SourcePlan } from './source-plan.ts';

/** The config in use, as the page shows it. */
export interface ConfigView {
  readonly version: number | undefined;
  readonly origin: ConfigOrigin;
  /** The order of sources it asks this install to try (`sourcePlanOf`). */
  readonly plan: SourcePlan;
}

/** What the marketplace page shows. Derived from the resolver's answers by `nextRegistryView`. */
export type RegistryView =
  | { readonly kind: 'loading' }
  | {
      readonly kind: 'ready';
      readonly registry: RegistryDocument;
      readonly source: SourceKind;
      readonly url: string;
      /** Every source failed: this is the last good copy. */
      readonly stale: boolean;
      readonly fallback: boolean;
      readonly fetchedAt: number;
      /** Key id whose signature the resolver verified; undefined when the app checks none. */
      readonly signedBy: string | undefined;
      readonly config: ConfigView;
      /** Why the copy is stale, when it is. */
      readonly error: MarketplaceError | undefined;
      /** The latest read's span, for its network and processing time (`read-timing.ts`). */
      readonly read?: ReadSpan | undefined;
    }
  | { readonly kind: 'unavailable'; readonly error: MarketplaceError; readonly config: ConfigView };

/**
 * Folds one `getRegistry()` answer into what is on screen. Never trades a registry for an error:
 * when a read fails after a good one, the good one stays, marked stale. Pure.
 *
 * @example
 * setView((previous) => nextRegistryView(previous, await resolver.getRegistry(), config));
 */
export function nextRegistryView(
  previous: RegistryView,
  result: RegistryResult,
  config: ConfigView,
  read?: ReadSpan,
): RegistryView {
  if (result.ok) {
    return {
      kind: 'ready',
      registry: result.registry,
      source: result.source,
      url: result.url,
      stale: result.stale,
      fallback: result.fallback,
      fetchedAt: result.fetchedAt,
      signedBy: result.signedBy,
      config,
      error: result.stale ? result.error : undefined,
      read,
    };
  }
  if (previous.kind === 'ready') return { ...previous, stale: true, error: result.error, config, read };
  return { kind: 'unavailable', error: result.error, config };
}

/** Whether the freshness banner is due: a stale registry, or a config not (yet) from the control plane. */
export function needsFreshnessNotice(view: RegistryView): boolean {
  if (view.kind === 'loading') return false;
  return (view.kind === 'ready' && view.stale) || view.config.origin !== 'provider';
}
