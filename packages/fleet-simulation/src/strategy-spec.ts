import type { EjectionPolicy } from '@cartae/marketplace-resolver';

/**
 * The user's design, as its document describes it: each app reads the config from Supabase at
 * start and then every `configTtlSeconds` (a plain 5-minute cache, no jitter), uses the first
 * source of `priority` and, only in hybrid mode with `fallbackOnError`, the next one on an
 * error. No passive health, no rate-limit awareness, no cached registry to fall back on.
 */
export interface UserDesignSpec {
  readonly kind: 'user-design';
  readonly label?: string;
  /** The resolver's config cache. Default 300 (« avec cache 5 min »). */
  readonly configTtlSeconds?: number;
  /** Fields set in both config documents (before and after the switch), e.g. `fallbackOnError`. */
  readonly document?: Readonly<Record<string, unknown>>;
}

/**
 * Our resolver (`@cartae/marketplace-resolver`) with the given options: config through the
 * Worker's edge-cached `/api/config` (or Supabase directly), jittered refresh, stale-while-
 * revalidate, passive health with ejection and probes, rate-limit awareness, fallback to the
 * other source and to the last good registry.
 */
export interface ResolverSpec {
  readonly kind: 'resolver';
  readonly label?: string;
  /** Fields set in both config documents, e.g. `{ cacheTtlSeconds: 15 }` or `{ healthCheckEnabled: false }`. */
  readonly document?: Readonly<Record<string, unknown>>;
  /** Where the config is read: the Worker's edge-cached endpoint (default) or Supabase directly. */
  readonly configPath?: 'edge' | 'supabase';
  /** The resolver's `configPollSeconds`. Default 15 with the edge endpoint, none (TTL alone) with Supabase. */
  readonly configPollSeconds?: number;
  /** The resolver's `probes` option. Default true. */
  readonly probes?: boolean;
  /** The resolver's `ejection` option. Default `DEFAULT_EJECTION_POLICY`. */
  readonly ejection?: Partial<EjectionPolicy>;
  /** The resolver's `lowRemainingThreshold` option. Default 5. */
  readonly lowRemainingThreshold?: number;
  /**
   * The resolver's `telemetry` option: usage reports riding on the edge config polls. Default
   * true with the edge endpoint (as the resolver's default with `configUrl`); none with Supabase.
   */
  readonly telemetry?: boolean;
}

/** One strategy to simulate. Plain data: it is copied into the report. */
export type StrategySpec = UserDesignSpec | ResolverSpec;

function describeDocument(document: Readonly<Record<string, unknown>> | undefined): string {
  const entries = Object.entries(document ?? {});
  return entries.length === 0 ? '' : `, ${entries.map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ')}`;
}

/**
 * A short human label for a strategy, used when the spec gives none.
 *
 * @example
 * strategyLabel({ kind: 'resolver', document: { cacheTtlSeconds: 15 } });
 * // 'ours (edge /api/config, cacheTtlSeconds 15)'
 */
export function strategyLabel(spec: StrategySpec): string {
  if (spec.kind === 'user-design') {
    return `user's design (Supabase direct, TTL ${spec.configTtlSeconds ?? 300} s${describeDocument(spec.document)})`;
  }
  const path = spec.configPath === 'supabase' ? 'Supabase direct' : 'edge /api/config';
  const extras = [
    spec.probes === false ? 'probes off' : '',
    spec.telemetry === false ? 'telemetry off' : '',
    spec.lowRemainingThreshold === undefined ? '' : `lowRemaining ${spec.lowRemainingThreshold}`,
  ].filter((s) => s !== '');
  const documentPart = describeDocument(spec.document);
  const defaults = documentPart === '' && extras.length === 0 ? ', defaults' : '';
  return `ours (${path}${defaults}${documentPart}${extras.length ? `, ${extras.join(', ')}` : ''})`;
}
