import type { RateLimitInfo, SourceKind } from '@cartae/marketplace-core';
import type { HealthBoard } from '../health/health-board.ts';
import type { StatsCollector } from '../stats/stats-collector.ts';
import type { UsageCollector } from '../telemetry/usage-collector.ts';
import type { Judgement } from './judge-answer.ts';

/** Where answers are recorded: stats and passive health always, fleet telemetry when it is on. */
export interface AnswerRecorders {
  readonly health: HealthBoard;
  readonly stats: StatsCollector;
  readonly usage: UsageCollector | undefined;
}

/**
 * Applies a final judgement to the per-source stats, to passive health and to the usage report
 * — the one place that does, for the request path and for active checks alike, so a probe moves
 * health exactly as a real request with the same answer would, and telemetry counts exactly what
 * the judgement decided.
 */
export function recordJudgement(
  ctx: AnswerRecorders,
  source: SourceKind,
  judged: Judgement,
  ms: number,
  now: number,
): void {
  if (judged.stats !== undefined) {
    const { status, ok, rateLimited, timeout, notModified } = judged.stats;
    ctx.stats.recordAttempt(source, {
      ok,
      rateLimited,
      timeout,
      notModified,
      ms,
      ...(status === undefined ? {} : { status }),
    });
    ctx.usage?.attempt(source, judged.stats, ms, now);
  }
  if (judged.health.kind === 'success') ctx.health.succeeded(source, now);
  else if (judged.health.kind === 'failure' && judged.error !== undefined) {
    const { retryAt } = judged.health;
    ctx.health.failed(source, {
      reason: judged.error.code,
      message: judged.error.message,
      now,
      ...(retryAt === undefined ? {} : { retryAt }),
    });
  }
}

/**
 * Applies the quota an answer's headers reported (`parseRateLimit`) to passive health and to the
 * usage report, as soon as the headers arrive (before the body is judged).
 */
export function recordRateLimit(
  ctx: AnswerRecorders,
  source: SourceKind,
  rateLimit: RateLimitInfo,
  now: number,
): void {
  ctx.health.noteRateLimit(source, rateLimit);
  ctx.usage?.rateLimit(source, rateLimit, now);
}
