import { cacheControl } from '../http/cache-control.ts';
import { conditionalResponse } from '../http/conditional-response.ts';
import { jsonError } from '../http/json-error.ts';
import type { ConfigAnswer } from './config-answer.ts';
import type { ConfigOutcome } from './config-outcome.ts';

/** Seconds a client should wait before asking again when there is no config at all. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 15;

function configHeaders(answer: ConfigAnswer, cache: string): Record<string, string> & { etag: string } {
  return {
    'content-type': 'application/json; charset=utf-8',
    etag: answer.etag,
    'cache-control': cache,
    ...(answer.version === undefined ? {} : { 'x-config-version': String(answer.version) }),
  };
}

/**
 * The one judgement of what an outcome means on the wire, whether it was just read from the
 * control plane or from the edge cache. Pure: takes `now` for the stale copy's `Age`.
 * - `fresh`: the answer, cacheable for CONFIG_CACHE_SECONDS, 304 on a matching If-None-Match;
 * - `stale`: the last good copy with `x-config-stale: 1`, its `Age`, and `no-cache` so browsers
 *   ask again (the edge cache still absorbs those requests);
 * - `unavailable`: 503 `config_unavailable` with `Retry-After`.
 *
 * @example
 * configResponse(request, { kind: 'unavailable', reason: 'control plane answered HTTP 503' }, 15, Date.now());
 */
export function configResponse(
  request: Request,
  outcome: ConfigOutcome,
  cacheSeconds: number,
  now: number,
): Response {
  switch (outcome.kind) {
    case 'fresh':
      return conditionalResponse(
        request,
        outcome.answer.body,
        configHeaders(outcome.answer, cacheControl({ maxAgeSeconds: cacheSeconds })),
      );
    case 'stale': {
      const ageSeconds = Math.max(0, Math.floor((now - outcome.answer.fetchedAt) / 1000));
      return conditionalResponse(request, outcome.answer.body, {
        ...configHeaders(outcome.answer, 'no-cache'),
        'x-config-stale': '1',
        age: String(ageSeconds),
      });
    }
    case 'unavailable':
      return jsonError(503, 'config_unavailable', `no config available: ${outcome.reason}; retry shortly`, {
        'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS),
      });
  }
}
