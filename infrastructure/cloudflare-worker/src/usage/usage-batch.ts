import type { UsageAggregateRow } from '@cartae/marketplace-core';

/**
 * One delivery of a shard's closed rows to the control plane. Its id and rows are fixed when it
 * is first sent and stored with it: every retry sends the same id with the same rows, so
 * `ingest_usage_aggregates(p_rows, p_batch_id)` adds them once even when an answer was lost after
 * the database committed. Rows that close meanwhile wait for the next batch.
 */
export interface UsageBatch {
  readonly id: string;
  readonly rows: readonly UsageAggregateRow[];
  /** The batch's first minute (epoch ms): it is dropped, whole, when that minute is too old to send. */
  readonly firstMinute: number;
}

/**
 * A batch id unique across shards and restarts: the shard, the batch's first minute and a random
 * part (a shard whose storage was reset may close the same minute again). At most 80 characters
 * of `[A-Za-z0-9:._-]`, as the control plane requires. Pure but for `random`.
 *
 * @example
 * usageBatchId(3, Date.UTC(2026, 10, 30, 15, 20), 'a1b2c3d4'); // '3:2026-11-30T15:20:00.000Z:a1b2c3d4'
 */
export function usageBatchId(shard: number, firstMinute: number, random: string): string {
  return `${shard}:${new Date(firstMinute).toISOString()}:${random}`;
}

/** The random part of a batch id: 16 hex digits. */
export function batchIdRandom(): string {
  return crypto.randomUUID().replace(/-/g, '').slice(0, 16);
}
