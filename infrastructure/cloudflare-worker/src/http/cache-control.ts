/** How long a response may be reused, in seconds. */
export interface CachePolicy {
  readonly maxAgeSeconds: number;
  readonly staleWhileRevalidateSeconds?: number;
  readonly staleIfErrorSeconds?: number;
}

/**
 * The one writer of `Cache-Control` for cacheable answers.
 *
 * @example
 * cacheControl({ maxAgeSeconds: 60, staleWhileRevalidateSeconds: 300, staleIfErrorSeconds: 86400 });
 * // 'public, max-age=60, stale-while-revalidate=300, stale-if-error=86400'
 */
export function cacheControl(policy: CachePolicy): string {
  const parts = ['public', `max-age=${policy.maxAgeSeconds}`];
  if (policy.staleWhileRevalidateSeconds)
    parts.push(`stale-while-revalidate=${policy.staleWhileRevalidateSeconds}`);
  if (policy.staleIfErrorSeconds) parts.push(`stale-if-error=${policy.staleIfErrorSeconds}`);
  return parts.join(', ');
}
