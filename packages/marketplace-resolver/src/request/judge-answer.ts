import { MarketplaceError, type RateLimitInfo, type SourceKind } from '@cartae/marketplace-core';

/**
 * What one request to one source came to, as far as it got: the transport failed, the status and
 * headers arrived, or the body was read and judged (by the registry reader for a registry). `now`
 * is when it ended.
 */
export type AnswerOutcome =
  | {
      readonly stage: 'transport';
      readonly timedOut: boolean;
      readonly cause: unknown;
    }
  | { readonly stage: 'headers'; readonly status: number; readonly rateLimit: RateLimitInfo }
  | {
      readonly stage: 'body';
      readonly status: number;
      /** The reader's refusal (HTML page, truncated or invalid JSON, expired, rollback, signature…), or none. */
      readonly refusal: MarketplaceError | undefined;
    };

/** Which answers a route treats as "this resource does not exist here" rather than a fault. */
export type NotFoundMeaning = 'answer' | 'fault';

export interface AnswerInput {
  readonly source: SourceKind;
  readonly url: string;
  readonly outcome: AnswerOutcome;
  /**
   * A 404 for a plugin id is an answer (the source is healthy, the plugin is not there); a missing
   * registry is the source's fault.
   */
  readonly notFound: NotFoundMeaning;
}

/**
 * One judgement of an answer, for every caller: the request path (`fetch()`, `getRegistry()`),
 * active checks (`checkHealth()`, re-admission probes), the admin's Test and Monitoring, and the
 * fleet simulation.
 * - `verdict`: `read-body` (2xx: the caller reads and judges the body, then asks again with the
 *   `body` stage), `not-modified` (304: the copy held stands), `not-found` (try elsewhere; the
 *   source is fine), `accept` (the body was judged good), `fail` (try the next source);
 * - `health`: what passive health records — `success`, `failure` (with the reason and a rate
 *   limit's retry time), or `pending` while the body is still to be judged;
 * - `stats`: the per-source counters this answer moves, once it is final.
 */
export interface Judgement {
  readonly verdict: 'read-body' | 'not-modified' | 'not-found' | 'accept' | 'fail';
  readonly error: MarketplaceError | undefined;
  readonly health:
    | { readonly kind: 'pending' }
    | { readonly kind: 'success' }
    | { readonly kind: 'failure'; readonly retryAt: number | undefined };
  readonly stats:
    | undefined
    | {
        readonly ok: boolean;
        readonly status: number | undefined;
        readonly rateLimited: boolean;
        readonly timeout: boolean;
        readonly notModified: boolean;
        /** The status was fine but the body was refused (an HTML page, an invalid or expired registry…). */
        readonly refused: boolean;
      };
}

const PENDING = { kind: 'pending' } as const;
const SUCCESS = { kind: 'success' } as const;

function failed(
  error: MarketplaceError,
  status: number | undefined,
  retryAt?: number,
  refused = false,
): Judgement {
  return {
    verdict: 'fail',
    error,
    health: { kind: 'failure', retryAt },
    stats: {
      ok: false,
      status,
      rateLimited: error.code === 'source_rate_limited',
      timeout: error.code === 'source_timeout',
      notModified: false,
      refused,
    },
  };
}

function succeeded(verdict: 'accept' | 'not-found' | 'not-modified', status: number): Judgement {
  return {
    verdict,
    error: undefined,
    health: SUCCESS,
    stats: {
      ok: true,
      status,
      rateLimited: false,
      timeout: false,
      notModified: verdict === 'not-modified',
      refused: false,
    },
  };
}

/**
 * Judges one answer. Pure: the same input always gives the same judgement.
 *
 * @example
 * judgeAnswer({ source: 'git', url, notFound: 'fault', outcome: { stage: 'headers', status: 200, rateLimit } });
 * // { verdict: 'read-body', health: { kind: 'pending' }, … } — then, once the body was read:
 * judgeAnswer({ source: 'git', url, notFound: 'fault', outcome: { stage: 'body', status: 200, refusal } });
 * // { verdict: 'fail', error: refusal (with the source named), health: { kind: 'failure' }, … }
 */
export function judgeAnswer(input: AnswerInput): Judgement {
  const { source, url, outcome } = input;
  if (outcome.stage === 'transport') {
    const error = outcome.timedOut
      ? new MarketplaceError('source_timeout', `${source} did not answer ${url} in time`, {
          source,
          cause: outcome.cause,
        })
      : new MarketplaceError('source_network_error', `${source} is unreachable (${url})`, {
          source,
          cause: outcome.cause,
        });
    return failed(error, undefined);
  }
  const { status } = outcome;
  if (outcome.stage === 'body') {
    if (outcome.refusal === undefined) return succeeded(status === 304 ? 'not-modified' : 'accept', status);
    const refusal = outcome.refusal;
    const error =
      refusal.source === source
        ? refusal
        : new MarketplaceError(refusal.code, `${source}: ${refusal.message}`, {
            source,
            status,
            cause: refusal,
          });
    return failed(error, status, undefined, true);
  }
  const { rateLimit } = outcome;
  if (rateLimit.limited) {
    const error = new MarketplaceError(
      'source_rate_limited',
      `${source} is rate-limiting this app (HTTP ${status})`,
      { source, status },
    );
    return failed(error, status, rateLimit.retryAt);
  }
  if (status === 304 || (status >= 200 && status < 300)) {
    return { verdict: 'read-body', error: undefined, health: PENDING, stats: undefined };
  }
  if ((status === 404 || status === 410) && input.notFound === 'answer')
    return succeeded('not-found', status);
  return failed(
    new MarketplaceError('source_http_error', `${source} answered HTTP ${status} for ${url}`, {
      source,
      status,
    }),
    status,
  );
}
