import {
  type MarketplaceError,
  parseRateLimit,
  type RateLimitInfo,
  type SourceKind,
} from '@cartae/marketplace-core';
import type { Clock } from '../platform/platform.ts';
import type { AttemptDeadline } from './attempt-deadlines.ts';
import { type Judgement, judgeAnswer, type NotFoundMeaning } from './judge-answer.ts';
import { type AnswerRecorders, recordJudgement, recordRateLimit } from './record-judgement.ts';

/** What a route-specific handler decides about a 2xx or 304 response: the value, or why the body was refused. */
export type AttemptVerdict<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: MarketplaceError };

export interface JudgedAttempt<T> {
  readonly judged: Judgement;
  /** The response, when one arrived (a 404 for a plugin is handed on as the answer). */
  readonly response: Response | undefined;
  /** The body reader's value, when it accepted the body. */
  readonly value: T | undefined;
  readonly rateLimit: RateLimitInfo | undefined;
}

/**
 * One request to one source, judged and recorded the same way wherever it is made — the request
 * path (`fetch()`, `getRegistry()`) and active checks (`checkHealth()`, probes): send it, record
 * the quota its headers report, judge the headers, read and judge a 2xx or 304 body with
 * `readBody`, or judge the failure; then apply the judgement to stats, health and telemetry, and
 * settle the deadline. When `aborted` (the caller's own signal) says so, a failure is the caller
 * giving up: it comes back as `abortedBy` and nothing is recorded against the source.
 */
export async function judgedAttempt<T>(
  ctx: AnswerRecorders & { readonly platform: { readonly clock: Clock } },
  attempt: {
    readonly source: SourceKind;
    readonly url: string;
    readonly notFound: NotFoundMeaning;
    readonly deadline: AttemptDeadline;
    readonly send: () => Promise<Response>;
    readonly readBody: (response: Response) => AttemptVerdict<T> | Promise<AttemptVerdict<T>>;
    readonly aborted?: () => boolean;
  },
): Promise<JudgedAttempt<T> | { readonly abortedBy: unknown }> {
  const { clock } = ctx.platform;
  const { source, url, notFound, deadline } = attempt;
  const started = clock.now();
  let judged: Judgement;
  let response: Response | undefined;
  let value: T | undefined;
  let rateLimit: RateLimitInfo | undefined;
  try {
    response = await attempt.send();
    const answeredAt = clock.now();
    rateLimit = parseRateLimit(response.status, response.headers, answeredAt);
    recordRateLimit(ctx, source, rateLimit, answeredAt);
    judged = judgeAnswer({
      source,
      url,
      notFound,
      outcome: { stage: 'headers', status: response.status, rateLimit },
    });
    if (judged.verdict === 'read-body') {
      // From here the first-byte limit no longer applies: stalls and the ceiling do (body-limits.ts).
      deadline.reading();
      const read = attempt.readBody(response);
      const verdict = read instanceof Promise ? await read : read;
      if (verdict.ok) value = verdict.value;
      judged = judgeAnswer({
        source,
        url,
        notFound,
        outcome: { stage: 'body', status: response.status, refusal: verdict.ok ? undefined : verdict.error },
      });
    } else if (judged.verdict !== 'not-found') {
      await response.body?.cancel().catch(() => undefined);
    }
  } catch (cause) {
    if (attempt.aborted?.()) return { abortedBy: cause };
    judged = judgeAnswer({
      source,
      url,
      notFound,
      outcome: { stage: 'transport', timedOut: deadline.expired, cause },
    });
  } finally {
    // The attempt ends once its answer is judged. getRegistry() reads the body inside readBody, so
    // under the deadline's body rule (stalls, ceiling); a body fetch() hands over is the caller's
    // to bound (init.signal), like the response timeout of ky or got. Settling also spares every
    // success an abort after the fact, which costs ~8 µs in undici.
    deadline.settle();
  }
  const now = clock.now();
  recordJudgement(ctx, source, judged, now - started, now);
  return { judged, response, value, rateLimit };
}
