import {
  inCanary,
  type MarketplaceSourceConfig,
  preferredOrder,
  type SourceKind,
  type SourceType,
} from '@cartae/marketplace-core';

/** Who takes the config's `priority` order in a hybrid: every install, none, or a canary share. */
export type CanaryReach = 'all' | 'none' | 'some';

/**
 * The order of sources the config asks for, fleet-wide and for this install, before health is
 * considered: what the resolver's `selectSources` starts from.
 */
export interface SourcePlan {
  readonly type: SourceType;
  /** The config's `priority`: the canary's order in a hybrid. */
  readonly priority: readonly SourceKind[];
  readonly canaryPercent: number;
  /** Hybrid only (else `'all'`): which installs take `priority` as it is; the others try it reversed. */
  readonly canary: CanaryReach;
  readonly fallbackOnError: boolean;
  /** The sources this install tries, in order, when every one is healthy. Never empty. */
  readonly installOrder: readonly SourceKind[];
  /** This install takes the canary's order (`priority`); false for the others and for non-hybrids. */
  readonly installInCanary: boolean;
}

/**
 * This install's plan, decided as the resolver decides it (`preferredOrder`, `inCanary` of
 * marketplace-core, and a single source when fallback is off). Pure.
 *
 * @example
 * sourcePlanOf({ ...config, type: 'hybrid', priority: ['git', 'cloudflare'], canaryPercent: 12 }, 42);
 * // { canary: 'some', installInCanary: true, installOrder: ['git', 'cloudflare'], … }
 */
export function sourcePlanOf(config: MarketplaceSourceConfig, bucket: number): SourcePlan {
  const hybrid = config.type === 'hybrid' && config.priority.length > 1;
  const order = preferredOrder(config, bucket);
  // Buckets run 0..9999: the lowest is in every canary but an empty one, the highest only in a full one.
  const canary: CanaryReach = !hybrid
    ? 'all'
    : !inCanary(0, config.canaryPercent)
      ? 'none'
      : inCanary(9_999, config.canaryPercent)
        ? 'all'
        : 'some';
  return {
    type: config.type,
    priority: config.priority,
    canaryPercent: config.canaryPercent,
    canary,
    fallbackOnError: config.fallbackOnError,
    installOrder: config.fallbackOnError ? order : order.slice(0, 1),
    installInCanary: hybrid && inCanary(bucket, config.canaryPercent),
  };
}
