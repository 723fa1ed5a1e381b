import {
  MarketplaceError,
  type MarketplaceSourceConfig,
  parseRateLimit,
  routeUrl,
  SOURCE_KINDS,
  type SourceKind,
} from '@cartae/marketplace-core';
import type { AttemptContext } from '../request/attempt-loop.ts';
import { classifyResponse } from '../request/classify-response.ts';

/** One source's answer to an active check, as the admin monitor shows it. */
export interface SourceCheck {
  readonly source: SourceKind;
  readonly url: string | undefined;
  readonly ok: boolean;
  readonly status: number | undefined;
  readonly responseTimeMs: number | undefined;
  readonly checkedAt: number;
  readonly error: string | undefined;
  readonly rateLimitRemaining: number | undefined;
  readonly rateLimitLimit: number | undefined;
  /** When the quota resets, epoch ms. */
  readonly rateLimitResetAt: number | undefined;
  /** The source is ejected and was not contacted, so a rate-limited source gets no extra traffic. */
  readonly skipped: boolean;
}

/**
 * Actively checks one source: a conditional GET of its registry route. A source that is ejected
 * is not contacted before its retry time; its standing state is reported instead.
 */
export async function checkSource(
  ctx: AttemptContext,
  config: MarketplaceSourceConfig,
  source: SourceKind,
  etagFor: (url: string) => string | undefined,
): Promise<SourceCheck> {
  const { platform, health, stats } = ctx;
  const now = platform.clock.now();
  const target = routeUrl({ name: 'registry' }, source, config);
  const base = {
    source,
    checkedAt: now,
    rateLimitRemaining: undefined,
    rateLimitLimit: undefined,
    rateLimitResetAt: undefined,
  };
  if (!target.ok) {
    return {
      ...base,
      url: undefined,
      ok: false,
      status: undefined,
      responseTimeMs: undefined,
      error: 'no URL configured',
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
      error: `${report?.lastError ?? state.reason}; not contacted until ${new Date(state.until).toISOString()}`,
      rateLimitRemaining: report?.rateLimit?.remaining,
      rateLimitLimit: report?.rateLimit?.limit,
      rateLimitResetAt: report?.rateLimit?.resetAt,
      skipped: true,
    };
  }
  const etag = etagFor(url);
  const deadline = ctx.deadlines.start();
  try {
    const response = await platform.fetch(url, {
      signal: deadline.signal,
      headers: etag ? { 'if-none-match': etag } : {},
    });
    await response.body?.cancel().catch(() => undefined);
    const done = platform.clock.now();
    const rateLimit = parseRateLimit(response.status, response.headers, done);
    health.noteRateLimit(source, rateLimit);
    const kind = classifyResponse(response.status, rateLimit);
    const ok = kind.kind === 'success' || kind.kind === 'not-modified';
    const error = ok
      ? undefined
      : `HTTP ${response.status}${kind.kind === 'rate-limited' ? ' (rate-limited)' : ''}`;
    stats.recordAttempt(source, {
      ok,
      status: response.status,
      ms: done - now,
      rateLimited: kind.kind === 'rate-limited',
      notModified: kind.kind === 'not-modified',
    });
    if (ok) health.succeeded(source, done);
    else
      health.failed(source, {
        reason: kind.kind === 'rate-limited' ? 'source_rate_limited' : 'source_http_error',
        message: error ?? '',
        now: done,
        ...(kind.kind === 'rate-limited' && kind.retryAt !== undefined ? { retryAt: kind.retryAt } : {}),
      });
    return {
      ...base,
      url,
      ok,
      status: response.status,
      responseTimeMs: done - now,
      error,
      rateLimitRemaining: rateLimit.remaining,
      rateLimitLimit: rateLimit.limit,
      rateLimitResetAt: rateLimit.resetAt,
      skipped: false,
    };
  } catch (cause) {
    const done = platform.clock.now();
    const timedOut = deadline.expired;
    const error = new MarketplaceError(
      timedOut ? 'source_timeout' : 'source_network_error',
      timedOut ? 'timed out' : 'unreachable',
      { cause },
    );
    stats.recordAttempt(source, { ok: false, ms: done - now, timeout: timedOut });
    health.failed(source, { reason: error.code, message: error.message, now: done });
    return {
      ...base,
      url,
      ok: false,
      status: undefined,
      responseTimeMs: done - now,
      error: error.message,
      skipped: false,
    };
  } finally {
    deadline.settle();
  }
}

/** Every source kind the config names a URL for. */
export function configuredSources(config: MarketplaceSourceConfig): SourceKind[] {
  return SOURCE_KINDS.filter((kind) => routeUrl({ name: 'registry' }, kind, config).ok);
}
