import { callServiceRoleRpc } from '../http/service-role-rpc.ts';
import type { WorkerPlatform } from '../worker-platform.ts';
import type { FlushResult } from './flush-state.ts';
import type { UsageBatch } from './usage-batch.ts';
import type { UsageFlushTarget } from './usage-telemetry.ts';

/** A call that takes longer is counted as failed and retried (the rows stay with the shard). */
export const INGEST_TIMEOUT_MS = 10_000;

/**
 * Sends a batch of a shard's closed rows to the control plane in one call:
 * `POST /rest/v1/rpc/ingest_usage_aggregates` with
 * `{ "p_rows": [UsageAggregateRow…], "p_batch_id": "…" }` and the service role key (the function
 * is callable by the service role only; it adds each row to its minute once per batch id, so a
 * batch whose answer was lost, sent again with the same id, is not counted twice). Never throws:
 * a failure is a result that says what happened and whether to try again.
 *
 * @example
 * const result = await ingestUsageAggregates(target, batch, platform); // { ok: true, rows: 12 }
 */
export async function ingestUsageAggregates(
  target: UsageFlushTarget,
  batch: Pick<UsageBatch, 'id' | 'rows'>,
  platform: WorkerPlatform,
): Promise<FlushResult> {
  const { rows } = batch;
  const call = await callServiceRoleRpc(
    target,
    JSON.stringify({ p_rows: rows, p_batch_id: batch.id }),
    platform,
    { timeoutMs: INGEST_TIMEOUT_MS, headers: { prefer: 'return=minimal' } },
  );
  if (call.ok) return { ok: true, rows: rows.length };
  return {
    ok: false,
    error: call.error,
    // 400: the function checked the batch and refused it whole (22023); sending it again cannot
    // help. Anything else (a wrong key, a function not deployed yet, an outage) may pass later.
    retry: call.status !== 400,
  };
}
