import { DurableObject } from 'cloudflare:workers';
import type { UsageReport } from '@cartae/marketplace-core';
import { settingsFor } from '../app-env.ts';
import type { WorkerEnv } from '../worker-env.ts';
import { DEFAULT_PLATFORM, type WorkerPlatform } from '../worker-platform.ts';
import {
  type AggregatorCounters,
  type AggregatorState,
  type AggregatorStatus,
  readAggregatorState,
} from './aggregator-state.ts';
import { AggregatorStore } from './aggregator-store.ts';
import { afterFlush, type FlushResult, flushAllowedAt } from './flush-state.ts';
import { ingestUsageAggregates } from './ingest-usage-aggregates.ts';
import { type AddOutcome, MinuteBook } from './minute-book.ts';
import { batchIdRandom, usageBatchId } from './usage-batch.ts';
import { CHECKPOINT_MS, lastClosedMinute, nextAlarmAt, oldestDeliverableMinute } from './usage-schedule.ts';
import { aggregateRow } from './usage-sums.ts';
import { usageTelemetry } from './usage-telemetry.ts';

/** Rows per call to the control plane; a longer backlog goes over the next minutes. */
export const MAX_ROWS_PER_CALL = 1_000;

/** What became of a report handed to a shard. */
export type AddReportOutcome = AddOutcome | 'late';

/**
 * One shard of the fleet's usage telemetry (a Durable Object per shard, `usage-shard-{n}`): sums
 * the reports the Worker hands it into rows per minute × source × config version, and an alarm
 * shortly after each minute closes sends the closed rows to the control plane in one call. Rows
 * live in the object's SQLite storage (open minutes by checkpoint, closed ones until delivered),
 * so an eviction or a failing control plane loses nothing; undelivered minutes are retried with
 * backoff and dropped, counted, after an hour. A batch keeps its id and rows across retries, so
 * the control plane adds it once even when an answer was lost.
 */
export class UsageAggregator extends DurableObject<WorkerEnv> {
  readonly #store: AggregatorStore;
  readonly #book: MinuteBook;
  readonly #platform: WorkerPlatform = DEFAULT_PLATFORM;
  #state: AggregatorState;
  #counters: AggregatorCounters;
  #lastCheckpointAt: number;
  /** Closed rows waiting for the control plane (kept in step with storage, read once at start). */
  #pendingRows: number;
  /** The alarm this object has set: a time, `null` for none, `undefined` before it has looked. */
  #alarmAt: number | null | undefined;

  constructor(ctx: DurableObjectState, env: WorkerEnv) {
    super(ctx, env);
    this.#store = new AggregatorStore(ctx.storage);
    this.#state = readAggregatorState(this.#store.readState());
    this.#counters = this.#state.counters;
    this.#book = MinuteBook.restore(this.#store.loadOpenMinutes());
    // Never, as far as this instance knows: its first report is written at once.
    this.#lastCheckpointAt = Number.NEGATIVE_INFINITY;
    this.#pendingRows = this.#store.pendingRowCount();
  }

  /** Adds a report (already checked by the Worker with `parseUsageReport`) to its minute. */
  async add(report: UsageReport, shard: number): Promise<AddReportOutcome> {
    const now = this.#platform.now();
    if (this.#state.shard !== shard) this.#state = { ...this.#state, shard };
    const closedThrough = this.#state.closedThrough;
    let outcome: AddReportOutcome;
    if (closedThrough !== null && report.minute <= closedThrough) {
      outcome = 'late';
    } else {
      const uncountedBefore = this.#book.uncountedInstalls;
      outcome = this.#book.add(report, now);
      this.#count({ uncountedInstalls: this.#book.uncountedInstalls - uncountedBefore });
    }
    this.#count(
      outcome === 'accepted' ? { accepted: 1 } : outcome === 'late' ? { late: 1 } : { tooManyRows: 1 },
    );
    if (this.#book.unsavedSince !== undefined && now - this.#lastCheckpointAt >= CHECKPOINT_MS) {
      this.#checkpoint(now);
    }
    await this.#scheduleAlarm(now);
    return outcome;
  }

  /** The shard's status for /health: cheap, from memory and one count. */
  async status(): Promise<AggregatorStatus> {
    return {
      shard: this.#state.shard,
      flush: this.#state.flush,
      openRows: this.#book.rowCount,
      pendingRows: this.#pendingRows,
      counters: this.#counters,
    };
  }

  /** Checkpoints, closes the minutes that are due, drops what is too old and sends the rest. */
  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    const now = this.#platform.now();
    try {
      this.#checkpoint(now);
      this.#closeDueMinutes(now);
      if (now >= flushAllowedAt(this.#state.flush)) await this.#flush(now);
    } catch (error) {
      this.#platform.log('usage_aggregator_failed', {
        shard: this.#state.shard,
        message: (error as Error).message,
      });
    }
    await this.#scheduleAlarm(this.#platform.now());
  }

  #count(more: Partial<AggregatorCounters>): void {
    const c = this.#counters;
    this.#counters = {
      accepted: c.accepted + (more.accepted ?? 0),
      late: c.late + (more.late ?? 0),
      tooManyRows: c.tooManyRows + (more.tooManyRows ?? 0),
      uncountedInstalls: c.uncountedInstalls + (more.uncountedInstalls ?? 0),
      droppedRows: c.droppedRows + (more.droppedRows ?? 0),
      rejectedRows: c.rejectedRows + (more.rejectedRows ?? 0),
    };
  }

  #saveState(): void {
    this.#state = { ...this.#state, counters: this.#counters };
    this.#store.writeState(this.#state);
  }

  #checkpoint(now: number): void {
    this.#lastCheckpointAt = now;
    if (this.#book.unsavedSince === undefined) return;
    this.#store.saveCheckpoint(this.#book.takeUnsaved());
    this.#saveState();
  }

  #closeDueMinutes(now: number): void {
    const previous = this.#state.closedThrough;
    const through = Math.max(previous ?? Number.NEGATIVE_INFINITY, lastClosedMinute(now));
    const shard = this.#state.shard ?? 0;
    const closed = this.#book.closeThrough(through).map(({ minute, rows }) => ({
      minute,
      rows: rows.map((row) => aggregateRow(row.key, shard, row.sums)),
    }));
    this.#store.closeMinutes(closed);
    const dropped = this.#store.dropPendingBefore(oldestDeliverableMinute(now));
    this.#pendingRows = this.#store.pendingRowCount();
    if (dropped > 0) {
      this.#count({ droppedRows: dropped });
      this.#platform.log('usage_rows_dropped', { shard, rows: dropped, reason: 'undelivered for an hour' });
    }
    this.#state = { ...this.#state, closedThrough: through };
    this.#saveState();
  }

  async #flush(now: number): Promise<void> {
    const shard = this.#state.shard ?? 0;
    const batch = this.#store.batchToSend(MAX_ROWS_PER_CALL, (first) =>
      usageBatchId(shard, first, batchIdRandom()),
    );
    if (batch === undefined) return;
    const telemetry = usageTelemetry(this.env, settingsFor(this.env));
    const result: FlushResult = telemetry.enabled
      ? await ingestUsageAggregates(telemetry.target, batch, this.#platform)
      : { ok: false, error: telemetry.reason, retry: true };
    // A batch that may pass later stays as it is: the next attempt resends its id and rows.
    if (result.ok || !result.retry) {
      this.#store.settleBatch();
      this.#pendingRows = this.#store.pendingRowCount();
    }
    if (!result.ok && !result.retry) this.#count({ rejectedRows: batch.rows.length });
    const flush = afterFlush(this.#state.flush, result, now);
    this.#state = { ...this.#state, flush };
    this.#saveState();
    if (!result.ok && flush.kind === 'failing') {
      this.#platform.log('usage_flush_failed', {
        shard: this.#state.shard,
        batch: batch.id,
        rows: batch.rows.length,
        failures: flush.failures,
        error: result.error,
        dropped: !result.retry,
      });
    }
  }

  async #scheduleAlarm(now: number): Promise<void> {
    const wanted = nextAlarmAt(
      {
        earliestOpenMinute: this.#book.earliestMinute(),
        unsavedSince: this.#book.unsavedSince,
        hasPending: this.#pendingRows > 0,
        flush: this.#state.flush,
      },
      now,
    );
    if (wanted === undefined) return;
    if (this.#alarmAt === undefined) this.#alarmAt = await this.ctx.storage.getAlarm();
    if (this.#alarmAt === null || wanted < this.#alarmAt) {
      this.#alarmAt = wanted;
      await this.ctx.storage.setAlarm(wanted);
    }
  }
}
