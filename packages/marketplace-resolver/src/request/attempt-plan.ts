import {
  type LogicalRoute,
  type MarketplaceError,
  type MarketplaceSourceConfig,
  type Result,
  routeUrl,
  type SourceKind,
  type SourceSelection,
} from '@cartae/marketplace-core';

/** One source to try for a route, with its URL or the reason it has none. */
export interface AttemptStep {
  readonly source: SourceKind;
  readonly url: Result<string, MarketplaceError>;
  /** An ejected source: tried only once every admitted source has failed (panic mode for this request). */
  readonly lastResort: boolean;
}

/** The sources to try for one route, in order. Depends only on the selection, the route and the config. */
export interface AttemptPlan {
  /** The source a request goes to when nothing fails; any other answer is a fallback. */
  readonly first: SourceKind;
  readonly steps: readonly AttemptStep[];
}

/**
 * Orders the attempts for a route (SPEC 4.3, 4.4): the admitted sources in the selection's order,
 * then — only when fallback is on — the ejected ones as a last resort. Pure, so the resolver can
 * keep a plan for as long as the selection it came from.
 */
export function planAttempts(
  selection: SourceSelection,
  route: LogicalRoute,
  config: MarketplaceSourceConfig,
): AttemptPlan {
  const steps: AttemptStep[] = selection.order.map((source) => ({
    source,
    url: routeUrl(route, source, config),
    lastResort: false,
  }));
  if (config.fallbackOnError) {
    for (const source of selection.ejected) {
      if (!selection.order.includes(source))
        steps.push({ source, url: routeUrl(route, source, config), lastResort: true });
    }
  }
  return { first: selection.order[0] as SourceKind, steps };
}
