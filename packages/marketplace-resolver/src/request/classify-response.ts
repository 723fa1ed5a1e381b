import type { RateLimitInfo } from '@cartae/marketplace-core';

export type ResponseClass =
  | { readonly kind: 'success' }
  | { readonly kind: 'not-modified' }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'rate-limited'; readonly retryAt?: number }
  | { readonly kind: 'failure' };

const SUCCESS: ResponseClass = { kind: 'success' };
const NOT_MODIFIED: ResponseClass = { kind: 'not-modified' };
const NOT_FOUND: ResponseClass = { kind: 'not-found' };
const FAILURE: ResponseClass = { kind: 'failure' };

/**
 * What an HTTP status means for fallback (SPEC 4.3, 4.5). 404 is an answer, not a failure:
 * the source is healthy, but another source may still have the resource.
 */
export function classifyResponse(status: number, rateLimit: RateLimitInfo): ResponseClass {
  if (rateLimit.limited)
    return rateLimit.retryAt === undefined
      ? { kind: 'rate-limited' }
      : { kind: 'rate-limited', retryAt: rateLimit.retryAt };
  if (status === 304) return NOT_MODIFIED;
  if (status === 404 || status === 410) return NOT_FOUND;
  if (status >= 200 && status < 300) return SUCCESS;
  return FAILURE;
}
