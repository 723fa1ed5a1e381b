/**
 * Nearest-rank percentile (p in 0..100) of values sorted ascending; NaN when there are none.
 *
 * @example
 * percentile(Float64Array.of(1, 2, 3, 4), 50); // 2
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] as number;
}
