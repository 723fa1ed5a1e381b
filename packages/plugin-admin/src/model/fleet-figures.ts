import {
  LATENCY_BUCKETS_MS,
  latencyPercentile,
  SOURCE_KIND_TABLE,
  SOURCE_KINDS,
  type SourceKind,
} from '@cartae/marketplace-core';
import type { FleetSourceTotals, FleetUsage } from './fleet-usage.ts';

/**
 * A latency percentile read from a histogram: nothing measured, at most the upper bound of a
 * bucket, or over the last bound (the overflow bucket has no upper bound).
 */
export type LatencyFigure =
  | { readonly kind: 'none' }
  | { readonly kind: 'at-most'; readonly ms: number }
  | { readonly kind: 'over'; readonly ms: number };

/** What the fleet views show of one source. Shares are fractions (0–1), null with no requests. */
export interface SourceFigures {
  readonly source: SourceKind;
  /** `Cloudflare CDN`; `shortLabel` (`CDN`) where room is short, as in a column header. */
  readonly label: string;
  readonly shortLabel: string;
  readonly requests: number;
  readonly errors: number;
  readonly errorShare: number | null;
  readonly rateLimited: number;
  readonly rateLimitedShare: number | null;
  readonly fallbacks: number;
  readonly p50: LatencyFigure;
  readonly p95: LatencyFigure;
  readonly quotaRemaining: number | null;
  readonly quotaLimit: number | null;
}

const OVERFLOW_MS = LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1] ?? 0;

/**
 * The `p` (0–1) percentile of a latency histogram, telling "no data" from "slower than the last
 * bucket" (which `latencyPercentile` both answer with `undefined`).
 *
 * @example
 * latencyFigure([0, 0, 0, 0, 0, 0, 0, 4], 0.5); // { kind: 'over', ms: 5000 }
 */
export function latencyFigure(histogram: readonly number[], p: number): LatencyFigure {
  if (!histogram.some((n) => n > 0)) return { kind: 'none' };
  const ms = latencyPercentile(histogram, p);
  return ms === undefined ? { kind: 'over', ms: OVERFLOW_MS } : { kind: 'at-most', ms };
}

/** `part / whole`, or null when there is no whole to share. */
export function share(part: number, whole: number): number | null {
  return whole > 0 ? Math.min(1, part / whole) : null;
}

/**
 * The figures of each source that reported, in the table's order of kinds.
 *
 * @example
 * sourceFigures(usage).map((s) => s.label); // ['Cloudflare CDN', 'Git']
 */
export function sourceFigures(usage: FleetUsage): SourceFigures[] {
  return SOURCE_KINDS.flatMap((source) => {
    const t: FleetSourceTotals | undefined = usage.sources[source];
    if (!t) return [];
    return [
      {
        source,
        label: SOURCE_KIND_TABLE[source].label,
        shortLabel: SOURCE_KIND_TABLE[source].shortLabel,
        requests: t.requests,
        errors: t.errors,
        errorShare: share(t.errors, t.requests),
        rateLimited: t.rateLimited,
        rateLimitedShare: share(t.rateLimited, t.requests),
        fallbacks: t.fallbacks,
        p50: latencyFigure(t.latency, 0.5),
        p95: latencyFigure(t.latency, 0.95),
        quotaRemaining: t.quotaRemaining,
        quotaLimit: t.quotaLimit,
      },
    ];
  });
}

const seconds = (ms: number) => `${ms / 1000} s`;
const duration = (ms: number) => (ms >= 1000 ? seconds(ms) : `${ms} ms`);

/** `—`, `≤ 250 ms`, `≤ 2.5 s`, `> 5 s`. */
export function formatLatency(figure: LatencyFigure): string {
  if (figure.kind === 'none') return '—';
  return figure.kind === 'over' ? `> ${duration(figure.ms)}` : `≤ ${duration(figure.ms)}`;
}

/** `—` (no requests), `0 %`, `< 0.1 %`, `3.3 %` (one decimal under 10 %), `12 %`. */
export function formatShare(value: number | null): string {
  if (value === null) return '—';
  if (value === 0) return '0 %';
  const percent = value * 100;
  if (percent < 0.1) return '< 0.1 %';
  return percent < 10 ? `${percent.toFixed(1)} %` : `${Math.round(percent)} %`;
}

/** `12 / 60 left`, `12 left` (no limit reported), `—` (no quota reported). */
export function formatQuota(remaining: number | null, limit: number | null): string {
  if (remaining === null) return '—';
  return limit === null
    ? `${formatCount(remaining)} left`
    : `${formatCount(remaining)} / ${formatCount(limit)} left`;
}

/** A count with thousands separators, the same on every machine: `12,345`. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
