import type { Platform } from '../platform/platform.ts';

/**
 * A request that must see the source, never a cached answer: the browser's HTTP cache would
 * otherwise replay a `max-age` 200 after the source started answering 429, or a registry
 * signature older than the registry it is asked for. Runtimes that do not implement the `cache`
 * option (older workerd) reject it with a TypeError; those have no HTTP cache to bypass.
 */
export async function fetchUncached(
  fetch: Platform['fetch'],
  url: string,
  init: RequestInit,
): Promise<Response> {
  try {
    return await fetch(url, { ...init, cache: 'no-store' });
  } catch (error) {
    if (error instanceof TypeError && /cache/i.test(error.message)) return fetch(url, init);
    throw error;
  }
}
