/**
 * Conditional requests, in one place: the only reader of a response's `etag` and the only writer
 * of a request's `if-none-match`, for the registry reader, `fetch()`'s response cache, active
 * checks and the HTTP config provider alike.
 */

/** The entity tag a response carries, or undefined (weak tags are kept as sent: `W/"…"`). */
export function entityTagOf(response: Response): string | undefined {
  return response.headers.get('etag') ?? undefined;
}

/**
 * The request headers that make a request conditional on the copy held, or undefined when no copy
 * is held (so the caller's headers stay untouched).
 *
 * @example
 * fetch(url, { headers: { ...ifNoneMatch(etag) } });
 */
export function ifNoneMatch(etag: string | undefined): { readonly 'if-none-match': string } | undefined {
  return etag ? { 'if-none-match': etag } : undefined;
}

/** Whether the caller made the request conditional itself (then its 304 is the caller's to handle). */
export function isConditional(headers: HeadersInit | undefined): boolean {
  return headers !== undefined && new Headers(headers).has('if-none-match');
}
