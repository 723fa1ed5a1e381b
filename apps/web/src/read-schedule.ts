import type { ResolverEvent } from '@cartae/marketplace-resolver';

/**
 * How long a page showing a saved copy, or nothing, waits before it reads again on its own: five
 * minutes, the registry's own cache lifetime. raw.githubusercontent.com serves it with
 * `max-age=300` and the resolver ejects a failing source for at most five minutes, so an earlier
 * retry could only meet the same cached answer or the same ejected source; at this pace a page in
 * an outage adds at most 12 requests an hour to sources that are already struggling.
 */
export const RECOVERY_READ_MS = 5 * 60_000;

/**
 * When the page reads the registry next on its own, after a read that put `fresh` (true: the
 * registry as a source serves it now) or not (a saved copy, or nothing) on screen. Pure.
 *
 * A page showing a fresh registry never reads on a timer. The registry changes when a plugin is
 * published, a few times a day; a person sees it on the next open, on coming back to the page
 * after the config TTL, or with Refresh, and a fleet switch arrives as a `config-changed` event.
 * A timer would spend every open page's share of GitHub's 60 requests an hour per address (a
 * whole office behind one address shares it) on answers that are almost always 304.
 *
 * @example
 * nextReadDelay(true); // undefined: no timer
 * nextReadDelay(false); // 300000
 */
export function nextReadDelay(fresh: boolean): number | undefined {
  return fresh ? undefined : RECOVERY_READ_MS;
}

/**
 * Whether a resolver event calls for a read at once. A config change always does: the fleet may
 * have moved to another source, and the page follows it without a reload. A re-admitted source
 * does only while the page shows a saved copy or nothing: a fresh page has nothing to gain. Pure.
 *
 * @example
 * readsOnEvent('config-changed', true); // true
 * readsOnEvent('source-readmitted', true); // false
 */
export function readsOnEvent(event: ResolverEvent['type'], fresh: boolean): boolean {
  if (event === 'config-changed') return true;
  if (event === 'source-readmitted') return !fresh;
  return false;
}

/**
 * Whether a page shown again after being hidden for `hiddenForMs` reads the registry: only when
 * it was hidden longer than the config TTL. A glance at another tab costs nothing; after longer,
 * the person may be looking at a list published before the current one. Pure.
 *
 * @example
 * readsOnReturn(60_000, 300); // false
 * readsOnReturn(301_000, 300); // true
 */
export function readsOnReturn(hiddenForMs: number, configTtlSeconds: number): boolean {
  return hiddenForMs > configTtlSeconds * 1000;
}
