import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/**
 * How raw.githubusercontent.com encodes a file, as its CDN (Varnish) does: gzip whenever the
 * client accepts it, `Vary: Accept-Encoding` on every file answer, and a weak ETag (`W/"…"`) on
 * the gzipped bytes — the CDN weakens the ETag when it compresses, since those are not the bytes
 * the tag was made for. GitHub's identity ETag is strong; this host has always sent the weak form
 * for both (the Worker's mirror tests and stored ETags rely on it), which weak comparison makes
 * equivalent. `If-None-Match` uses the weak comparison (RFC 9110 §13.1.2), so either form
 * revalidates either representation, as on GitHub.
 */
export interface Representation {
  readonly body: Buffer;
  readonly etag: string;
  /** `gzip`, or undefined for the identity bytes. */
  readonly encoding: 'gzip' | undefined;
}

/** True when `Accept-Encoding` lists gzip (or `*`) without `q=0`. */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const part of value.split(',')) {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

/** The hash both ETags quote. */
function tagOf(content: string): string {
  return createHash('sha1').update(content).digest('hex');
}

/** Prepares a file's two representations once per content (the host caches them by content). */
export function representations(content: string): {
  readonly identity: Representation;
  gzip(): Representation;
} {
  const tag = tagOf(content);
  let gzipped: Representation | undefined;
  return {
    identity: { body: Buffer.from(content), etag: `W/"${tag}"`, encoding: undefined },
    gzip: () => {
      gzipped ??= { body: gzipSync(content), etag: `W/"${tag}"`, encoding: 'gzip' };
      return gzipped;
    },
  };
}

/** `If-None-Match` against an ETag by weak comparison: `*`, or any listed tag with the same opaque value. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return header.split(',').some((tag) => opaque(tag) === wanted);
}
