import type { Database } from '../../../packages/local-supabase/src/index.ts';
import { asRole, type Role } from './backends.ts';

export { usageRow } from '../../../tests/fixtures/usage-rows.ts';

/** The start of the current minute on the database's clock, epoch ms. */
export async function currentMinute(db: Database): Promise<number> {
  const { rows } = await db.query<{ ms: string | number }>(
    `select (extract(epoch from date_trunc('minute', now())) * 1000)::bigint as ms`,
  );
  return Number(rows[0]?.ms);
}

/** The start of the minute `offset` minutes from `minute` (epoch ms), as toISOString writes it. */
export const isoMinute = (minute: number, offset = 0): string =>
  new Date(minute + offset * 60_000).toISOString();

/**
 * Waits, when the current minute ends within `marginMs`, until the next one has begun, so a test
 * that reads "the minute being counted" does not see it turn into a complete one mid-test.
 */
export async function awayFromMinuteEnd(marginMs = 5_000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 200));
}

/** Calls `ingest_usage_aggregates` as `role`; `rows` is sent as JSON, whatever it is. */
export async function ingest(
  db: Database,
  role: Role,
  sub: string | undefined,
  rows: unknown,
): Promise<number> {
  const { rows: result } = await asRole(db, role, sub, (tx) =>
    tx.query<{ n: number }>('select public.ingest_usage_aggregates($1::jsonb) as n', [JSON.stringify(rows)]),
  );
  return Number(result[0]?.n);
}

/** The SQLSTATE of a failed call, or 'ok'. */
export async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

/**
 * Calls `ingest_usage_aggregates(p_rows, p_batch_id)` as `role`, as the Worker does: `rows` is
 * sent as JSON, whatever it is. Returns the minute rows written (0 for a batch already applied).
 */
export async function ingestBatch(
  db: Database,
  role: Role,
  sub: string | undefined,
  rows: unknown,
  batchId: string | null,
): Promise<number> {
  const { rows: result } = await asRole(db, role, sub, (tx) =>
    tx.query<{ n: number }>('select public.ingest_usage_aggregates($1::jsonb, $2::text) as n', [
      JSON.stringify(rows),
      batchId,
    ]),
  );
  return Number(result[0]?.n);
}

/**
 * The action part of an `evaluate_fleet_automation` answer: without `sourceHealth` and
 * `alertWebhook`, which every answer carries since 20261201150000 (tested in
 * fleet-alerts-and-settings.test.ts).
 */
export function automationAction<T>(answer: T): T {
  const { sourceHealth: _health, alertWebhook: _webhook, ...action } = answer as Record<string, unknown>;
  return action as T;
}
