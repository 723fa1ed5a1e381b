/**
 * The one place that writes and compares entity tags. Tags are strong (`"…"`); comparison for
 * `If-None-Match` is weak (RFC 9110 §13.1.2), because Cloudflare weakens strong tags to `W/"…"`
 * when it compresses a response, and a browser then sends the weak form back.
 */
export async function strongEntityTag(
  bytes: ArrayBuffer | Uint8Array<ArrayBuffer>,
  prefix = '',
): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  const hex = [...new Uint8Array(digest).slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `"${prefix}${hex}"`;
}

function opaqueTag(tag: string): string {
  const trimmed = tag.trim();
  return trimmed.startsWith('W/') ? trimmed.slice(2) : trimmed;
}

/**
 * True when an `If-None-Match` header value matches `etag`, so the answer is 304.
 *
 * @example
 * ifNoneMatchMatches('W/"abc", "def"', '"abc"'); // true
 */
export function ifNoneMatchMatches(header: string | null | undefined, etag: string): boolean {
  if (header === null || header === undefined || header.length > 8192) return false;
  if (header.trim() === '*') return true;
  const wanted = opaqueTag(etag);
  return header.split(',').some((candidate) => opaqueTag(candidate) === wanted);
}
