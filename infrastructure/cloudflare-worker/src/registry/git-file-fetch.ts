import { parseRateLimit } from '@cartae/marketplace-core';
import type { WorkerPlatform } from '../worker-platform.ts';

/** How long the mirror waits for the Git host before giving up. */
export const GIT_FETCH_TIMEOUT_MS = 15_000;

/** What the Git host answered for one file, as the mirror judges it. Never an exception. */
export type GitFileAnswer =
  | { readonly kind: 'body'; readonly bytes: ArrayBuffer; readonly sourceEtag: string | undefined }
  | { readonly kind: 'not-modified' }
  /** 404 or 410: the file is not there (a registry without a signature file, say). */
  | { readonly kind: 'missing'; readonly status: number }
  | { readonly kind: 'rate-limited'; readonly status: number; readonly retryAt: number | undefined }
  | { readonly kind: 'failed'; readonly message: string };

export interface GitFileRequest {
  readonly url: string;
  /** What the messages call the file: `registry.json`, `registry.json.sig`. */
  readonly name: string;
  /** The Git ETag of the copy held, sent as If-None-Match. */
  readonly etag: string | undefined;
  readonly maxBytes: number;
  readonly githubToken: string | undefined;
  readonly platform: WorkerPlatform;
}

function gitRequestHeaders(etag: string | undefined, token: string | undefined): Headers {
  const headers = new Headers({
    accept: 'application/json, text/plain;q=0.9',
    'user-agent': 'cartae-marketplace-worker (+https://marketplace.cartae.com)',
  });
  if (etag) headers.set('if-none-match', etag);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return headers;
}

async function readBoundedBody(response: Response, name: string, maxBytes: number) {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel();
    return `Git answered ${declared} bytes for ${name}, more than the ${maxBytes}-byte limit`;
  }
  const bytes = await response.arrayBuffer();
  if (bytes.byteLength > maxBytes) return `Git answered more than the ${maxBytes}-byte limit for ${name}`;
  return bytes;
}

/**
 * One conditional GET of one file on the Git host (with the token when set), bounded in time and
 * size. Rate limits are read by marketplace-core's `parseRateLimit`, the only reader of those
 * headers. Never throws.
 *
 * @example
 * const answer = await fetchGitFile({ url, name: 'registry.json', etag, maxBytes, githubToken, platform });
 * if (answer.kind === 'body') answer.bytes; // the exact bytes Git served
 */
export async function fetchGitFile(request: GitFileRequest): Promise<GitFileAnswer> {
  const { name, platform } = request;
  let response: Response;
  try {
    response = await platform.fetch(request.url, {
      headers: gitRequestHeaders(request.etag, request.githubToken),
      signal: AbortSignal.timeout(GIT_FETCH_TIMEOUT_MS),
    });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return { kind: 'failed', message: `Git could not be reached for ${name}: ${reason}` };
  }
  if (response.status === 304 && request.etag !== undefined) return { kind: 'not-modified' };
  const rateLimit = parseRateLimit(response.status, response.headers, platform.now());
  if (response.status === 429 || (response.status === 403 && rateLimit.limited)) {
    await response.body?.cancel();
    return { kind: 'rate-limited', status: response.status, retryAt: rateLimit.retryAt ?? rateLimit.resetAt };
  }
  if (response.status === 404 || response.status === 410) {
    await response.body?.cancel();
    return { kind: 'missing', status: response.status };
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    return { kind: 'failed', message: `Git answered HTTP ${response.status} for ${name}` };
  }
  let body: ArrayBuffer | string;
  try {
    body = await readBoundedBody(response, name, request.maxBytes);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return { kind: 'failed', message: `Git's answer for ${name} broke off: ${reason}` };
  }
  if (typeof body === 'string') return { kind: 'failed', message: body };
  return { kind: 'body', bytes: body, sourceEtag: response.headers.get('etag') ?? undefined };
}
