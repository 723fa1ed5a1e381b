import { ifNoneMatchMatches } from './entity-tag.ts';

/**
 * 304 Not Modified when the request's `If-None-Match` matches `etag`, else 200 with `body`. Both
 * carry the same validators and caching headers, as RFC 9110 §15.4.5 asks.
 *
 * @example
 * return conditionalResponse(c.req.raw, bytes, { etag: '"r7-…"', 'cache-control': 'public, max-age=60' });
 */
export function conditionalResponse(
  request: Request,
  body: BodyInit,
  headers: Record<string, string> & { etag: string },
): Response {
  if (ifNoneMatchMatches(request.headers.get('if-none-match'), headers.etag)) {
    const { 'content-type': _type, ...validators } = headers;
    return new Response(null, { status: 304, headers: validators });
  }
  return new Response(body, { status: 200, headers });
}
