import { inCanary } from './bucketing.ts';
import { type MarketplaceSourceConfig, sourceUrl } from './config-document.ts';
import { SOURCE_KINDS, type SourceKind } from './source-kind.ts';

/** What the selection needs to know about one source's health right now. */
export interface SourceHealthView {
  /** The source is ejected (failing or rate-limited) until this epoch-ms time. */
  readonly ejectedUntil?: number;
  /** Last `x-ratelimit-remaining` the source reported, and when that quota resets. */
  readonly rateLimitRemaining?: number;
  readonly rateLimitResetAt?: number;
}

export interface SelectionInput {
  readonly config: MarketplaceSourceConfig;
  readonly health: Partial<Record<SourceKind, SourceHealthView>>;
  /** This install's sticky bucket, 0..9999. */
  readonly bucket: number;
  readonly now: number;
  /** A source with this many requests left or fewer is tried after the others. Default 5. */
  readonly lowRemainingThreshold?: number;
}

export interface SourceSelection {
  /** Sources to try, in order. Never empty. */
  readonly order: readonly SourceKind[];
  /** Every source was ejected, so all are tried anyway (Envoy's panic mode). */
  readonly panic: boolean;
  /** Sources left out because they are ejected. */
  readonly ejected: readonly SourceKind[];
  /** Sources moved back because their rate-limit quota is nearly spent. */
  readonly demoted: readonly SourceKind[];
}

/** The order the config asks for, for this install's bucket, before health is considered. */
export function preferredOrder(config: MarketplaceSourceConfig, bucket: number): SourceKind[] {
  const priority = [...config.priority];
  if (config.type === 'hybrid' && priority.length > 1 && !inCanary(bucket, config.canaryPercent)) {
    priority.reverse();
  }
  if (!config.fallbackOnError) return priority;
  const fallbacks = SOURCE_KINDS.filter(
    (kind) => !priority.includes(kind) && sourceUrl(config, kind) !== undefined,
  );
  return [...priority, ...fallbacks];
}

function isLow(view: SourceHealthView | undefined, now: number, threshold: number): boolean {
  if (view?.rateLimitRemaining === undefined) return false;
  if (view.rateLimitResetAt !== undefined && view.rateLimitResetAt <= now) return false;
  return view.rateLimitRemaining <= threshold;
}

/**
 * Decides which sources to try, in which order. Pure: same input, same answer.
 *
 * @example
 * selectSources({ config, health: { git: { ejectedUntil: now + 60_000 } }, bucket: 42, now });
 * // { order: ['cloudflare'], panic: false, ejected: ['git'], demoted: [] }
 */
export function selectSources(input: SelectionInput): SourceSelection {
  const { config, health, bucket, now } = input;
  const threshold = input.lowRemainingThreshold ?? 5;
  const candidates = preferredOrder(config, bucket);
  const ejected = candidates.filter((kind) => (health[kind]?.ejectedUntil ?? 0) > now);
  const admitted = candidates.filter((kind) => !ejected.includes(kind));
  const limit = (order: SourceKind[]) => (config.fallbackOnError ? order : order.slice(0, 1));

  if (admitted.length === 0) {
    return { order: limit(candidates), panic: true, ejected, demoted: [] };
  }
  const low = admitted.filter((kind) => isLow(health[kind], now, threshold));
  const demoted = low.length < admitted.length ? low : [];
  const order = [...admitted.filter((kind) => !demoted.includes(kind)), ...demoted];
  return { order: limit(order), panic: false, ejected, demoted };
}
