import { ifNoneMatchMatches } from './entity-tag.ts';

const encoder = new TextEncoder();

/**
 * 304 Not Modified when the request's `If-None-Match` matches `etag`, else 200 with `body`. Both
 * carry the same validators and caching headers, as RFC 9110 §15.4.5 asks. The 200 states its
 * `Content-Length`, so a HEAD (which Hono answers with the GET's headers and no body) states it too.
 *
 * @example
 * return conditionalResponse(c.req.raw, bytes, { etag: '"r7-…"', 'cache-control': 'public, max-age=60' });
 */
export function conditionalResponse(
  request: Request,
  body: string | ArrayBuffer | Uint8Array<ArrayBuffer>,
  headers: Record<string, string> & { etag: string },
): Response {
  if (ifNoneMatchMatches(request.headers.get('if-none-match'), headers.etag)) {
    const { 'content-type': _type, ...validators } = headers;
    return new Response(null, { status: 304, headers: validators });
  }
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  return new Response(bytes, {
    status: 200,
    headers: { ...headers, 'content-length': String(bytes.byteLength) },
  });
}
