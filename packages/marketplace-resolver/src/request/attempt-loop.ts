import {
  type LogicalRoute,
  MarketplaceError,
  type MarketplaceSourceConfig,
  type SourceKind,
} from '@cartae/marketplace-core';
import type { ResolverEvent } from '../events.ts';
import type { HealthBoard } from '../health/health-board.ts';
import type { Platform } from '../platform/platform.ts';
import type { StatsCollector } from '../stats/stats-collector.ts';
import type { UsageCollector } from '../telemetry/usage-collector.ts';
import type { AttemptDeadlines } from './attempt-deadlines.ts';
import type { AttemptPlan, AttemptStep } from './attempt-plan.ts';
import type { BodyProgress } from './bounded-body.ts';
import { type AttemptVerdict, judgedAttempt } from './judged-attempt.ts';

export type { AttemptVerdict } from './judged-attempt.ts';

export interface AttemptContext {
  readonly platform: Platform;
  readonly health: HealthBoard;
  readonly stats: StatsCollector;
  /** Fleet telemetry (this minute's usage report); undefined when telemetry is off. */
  readonly usage: UsageCollector | undefined;
  readonly emit: (event: ResolverEvent) => void;
  /** Per-attempt limits: first byte, body stalls, ceiling (one timer for all first bytes). */
  readonly deadlines: AttemptDeadlines;
  /**
   * The attempts for a route under the current source selection; the resolver keeps plans until
   * health or the config changes.
   */
  readonly plan: (config: MarketplaceSourceConfig, route: LogicalRoute, path: string) => AttemptPlan;
}

/**
 * What a caller of `runAttempts` does with requests and answers. Kept apart from the per-request
 * arguments so a caller can build it once rather than allocate closures on every request.
 */
export interface AttemptHandler<T> {
  /** Extra request headers for a URL (a conditional request's If-None-Match), or undefined. */
  readonly headersFor?: (url: string) => Record<string, string> | undefined;
  /**
   * Judges a 2xx or 304; may answer synchronously, which saves the hot path a turn of the event
   * loop. `signal` is the attempt's (its deadline and the caller's): a request the judgement needs
   * (the registry's signature) ends with the attempt. A handler that reads the body reports its
   * chunks to `body` (`readBoundedBody(response, max, body)`), so a slow body that keeps arriving
   * is not cut (body-limits.ts).
   */
  readonly handle: (
    response: Response,
    source: SourceKind,
    url: string,
    signal: AbortSignal,
    body: BodyProgress,
  ) => AttemptVerdict<T> | Promise<AttemptVerdict<T>>;
}

export interface AttemptSuccess<T> {
  readonly ok: true;
  readonly value: T;
  readonly source: SourceKind;
  readonly url: string;
  readonly fallback: boolean;
}

export interface AttemptFailure {
  readonly ok: false;
  readonly error: MarketplaceError;
  /** Every source said 404: the resource does not exist anywhere. */
  readonly notFound: Response | undefined;
}

/** Merges extra headers into the caller's; undefined (the caller's init untouched) when there are none. */
function requestHeaders(
  base: HeadersInit | undefined,
  extra: Record<string, string> | undefined,
): Headers | undefined {
  if (extra === undefined) return undefined;
  const headers = new Headers(base);
  for (const name of Object.keys(extra)) headers.set(name, extra[name] as string);
  return headers;
}

/**
 * Tries the selected sources in order until one gives an answer the handler accepts, feeding
 * passive health and stats on the way. Never throws.
 */
export async function runAttempts<T>(
  ctx: AttemptContext,
  config: MarketplaceSourceConfig,
  route: LogicalRoute,
  path: string,
  init: RequestInit | undefined,
  handler: AttemptHandler<T>,
): Promise<AttemptSuccess<T> | AttemptFailure> {
  const { platform, emit } = ctx;
  const { first, steps } = ctx.plan(config, route, path);
  const errors: MarketplaceError[] = [];
  let notFound: Response | undefined;
  const callerSignal = init?.signal ?? undefined;

  for (let index = 0; index < steps.length; index++) {
    const step = steps[index] as AttemptStep;
    const { source } = step;
    // Ejected sources are a last resort, never tried while a healthy source can answer. A 404 for
    // a plugin id is an answer: don't disturb an ejected source for it. A missing registry, though,
    // is a fault of that source, so the last resort is still tried.
    if (step.lastResort && notFound !== undefined && route.name === 'plugin') break;
    if (!step.url.ok) {
      errors.push(step.url.error);
      continue;
    }
    const url = step.url.value;
    if (callerSignal?.aborted) break;
    // Not AbortSignal.timeout(): ~10 µs per request on Node 20 against a shared timer's ~0.1 µs
    // (bench/resolver.bench.ts).
    const deadline = ctx.deadlines.start();
    const signal = callerSignal ? AbortSignal.any([callerSignal, deadline.signal]) : deadline.signal;
    const headers = requestHeaders(init?.headers, handler.headersFor?.(url));
    const attempt = await judgedAttempt(ctx, {
      source,
      url,
      notFound: route.name === 'plugin' ? 'answer' : 'fault',
      deadline,
      send: () => platform.fetch(url, headers ? { ...init, headers, signal } : { ...init, signal }),
      readBody: (response) => handler.handle(response, source, url, signal, deadline),
      aborted: () => callerSignal?.aborted === true,
    });
    if ('abortedBy' in attempt) {
      return {
        ok: false,
        error: new MarketplaceError('aborted', `request for ${path} was aborted by the caller`, {
          cause: attempt.abortedBy,
        }),
        notFound,
      };
    }
    const { judged, response, value } = attempt;
    const now = platform.clock.now();
    if (judged.verdict === 'not-found') {
      notFound = response;
      continue;
    }
    if (judged.verdict === 'accept' || judged.verdict === 'not-modified') {
      const fallback = source !== first;
      if (fallback) ctx.usage?.fallback(source, now);
      if (fallback && errors[errors.length - 1]) {
        emit({
          type: 'fallback',
          path,
          from: first,
          to: source,
          error: errors[errors.length - 1] as MarketplaceError,
        });
      }
      return { ok: true, value: value as T, source, url, fallback };
    }
    const error = judged.error as MarketplaceError;
    errors.push(error);
    if (!config.fallbackOnError) break;
  }

  const last = errors[errors.length - 1];
  const summary = errors.map((e) => e.message).join('; ');
  return {
    ok: false,
    notFound,
    error: new MarketplaceError(
      'no_source_available',
      `no marketplace source could answer ${path}${summary ? `: ${summary}` : ''}`,
      {
        ...(last ? { cause: last } : {}),
      },
    ),
  };
}
