import type { SourceKind } from '@cartae/marketplace-core';
import type { HealthBoard } from '../health/health-board.ts';
import type { StatsCollector } from '../stats/stats-collector.ts';
import type { Judgement } from './judge-answer.ts';

/**
 * Applies a final judgement to the per-source stats and to passive health — the one place that
 * does, for the request path and for active checks alike, so a probe moves health exactly as a
 * real request with the same answer would.
 */
export function recordJudgement(
  ctx: { readonly health: HealthBoard; readonly stats: StatsCollector },
  source: SourceKind,
  judged: Judgement,
  ms: number,
  now: number,
): void {
  if (judged.stats !== undefined) {
    const { status, ...rest } = judged.stats;
    ctx.stats.recordAttempt(source, { ...rest, ms, ...(status === undefined ? {} : { status }) });
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
