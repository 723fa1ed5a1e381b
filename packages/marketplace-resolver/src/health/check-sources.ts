import {
  type MarketplaceError,
  type MarketplaceErrorCode,
  type MarketplaceSourceConfig,
  routeUrl,
  SOURCE_KINDS,
  type SourceKind,
} from '@cartae/marketplace-core';
import type { AttemptContext } from '../request/attempt-loop.ts';
import type { BodyProgress } from '../request/bounded-body.ts';
import { ifNoneMatch } from '../request/entity-tags.ts';
import { type JudgedAttempt, judgedAttempt } from '../request/judged-attempt.ts';
import { fetchUncached } from '../request/uncached-fetch.ts';

/** One source's answer to an active check, as the admin monitor shows it. */
export interface SourceCheck {
  readonly source: SourceKind;
  readonly url: string | undefined;
  /** The answer is one `getRegistry()` would use (a valid registry, or a 304 for the copy held). */
  readonly ok: boolean;
  readonly status: number | undefined;
  readonly responseTimeMs: number | undefined;
  readonly checkedAt: number;
  /** What was wrong, in words; undefined when `ok`. */
  readonly error: string | undefined;
  /** What was wrong, as a code a UI can branch on (`source_rate_limited`, `registry_invalid_json`…). */
  readonly code: MarketplaceErrorCode | undefined;
  /** The source is rate-limiting this app (now, or the standing ejection is for a rate limit). */
  readonly rateLimited: boolean;
  readonly rateLimitRemaining: number | undefined;
  readonly rateLimitLimit: number | undefined;
  /** When the quota resets, epoch ms. */
  readonly rateLimitResetAt: number | undefined;
  /** When an ejected source will be contacted again, epoch ms (only when `skipped`). */
  readonly retryAt: number | undefined;
  /** Not contacted: no URL configured, or ejected until `retryAt` (a rate-limited source gets no extra traffic). */
  readonly skipped: boolean;
}

/** Judges a 2xx or 304 registry body exactly as `getRegistry()` does (the registry reader's judgement). */
export type RegistryBodyJudge = (
  response: Response,
  source: SourceKind,
  url: string,
  signal?: AbortSignal,
  body?: BodyProgress,
) => Promise<{ readonly ok: true } | { readonly ok: false; readonly error: MarketplaceError }>;

/**
 * Actively checks one source: a conditional GET of its registry route, judged by the same
 * judgement as every request (`judgeAnswer`) and, for a 2xx, by the registry reader, so an HTML
 * page, a truncated or invalid registry, an expired or rolled-back one fails the check as it fails
 * `getRegistry()`. A source that is ejected is not contacted before its retry time; its standing
 * state is reported instead.
 */
export async function checkSource(
  ctx: AttemptContext,
  config: MarketplaceSourceConfig,
  source: SourceKind,
  registry: { etagFor(url: string): string | undefined; judgeBody: RegistryBodyJudge },
): Promise<SourceCheck> {
  const { platform, health } = ctx;
  const now = platform.clock.now();
  const target = routeUrl({ name: 'registry' }, source, config);
  const base = {
    source,
    checkedAt: now,
    rateLimitRemaining: undefined,
    rateLimitLimit: undefined,
    rateLimitResetAt: undefined,
    retryAt: undefined,
  };
  if (!target.ok) {
    return {
      ...base,
      url: undefined,
      ok: false,
      status: undefined,
      responseTimeMs: undefined,
      error: 'no URL configured',
      code: undefined,
      rateLimited: false,
      skipped: true,
    };
  }
  const url = target.value;
  const state = health.state(source, now);
  if (state.status === 'ejected') {
    const report = health.report(now).find((r) => r.source === source);
    return {
      ...base,
      url,
      ok: false,
      status: undefined,
      responseTimeMs: undefined,
      error: report?.lastError ?? state.reason,
      code: state.reason,
      rateLimited: state.reason === 'source_rate_limited',
      rateLimitRemaining: report?.rateLimit?.remaining,
      rateLimitLimit: report?.rateLimit?.limit,
      rateLimitResetAt: report?.rateLimit?.resetAt,
      retryAt: state.until,
      skipped: true,
    };
  }
  const etag = registry.etagFor(url);
  const deadline = ctx.deadlines.start();
  const attempt = await judgedAttempt(ctx, {
    source,
    url,
    notFound: 'fault',
    deadline,
    send: () =>
      fetchUncached(platform.fetch, url, { signal: deadline.signal, headers: { ...ifNoneMatch(etag) } }),
    readBody: async (response) => {
      const body = await registry.judgeBody(response, source, url, deadline.signal, deadline);
      return body.ok ? { ok: true, value: undefined } : body;
    },
  });
  // No caller signal here, so the attempt is always judged.
  const { judged, response, rateLimit } = attempt as JudgedAttempt<undefined>;
  const done = platform.clock.now();
  return {
    ...base,
    url,
    ok: judged.verdict === 'accept' || judged.verdict === 'not-modified',
    status: response?.status,
    responseTimeMs: done - now,
    error: judged.error?.message,
    code: judged.error?.code,
    rateLimited: judged.error?.code === 'source_rate_limited',
    rateLimitRemaining: rateLimit?.remaining,
    rateLimitLimit: rateLimit?.limit,
    rateLimitResetAt: rateLimit?.resetAt,
    skipped: false,
  };
}

/** Every source kind the config names a URL for. */
export function configuredSources(config: MarketplaceSourceConfig): SourceKind[] {
  return SOURCE_KINDS.filter((kind) => routeUrl({ name: 'registry' }, kind, config).ok);
}
