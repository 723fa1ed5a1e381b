import { type FlushState, IDLE_FLUSH, isFlushState } from './flush-state.ts';

/** What a shard counts besides its rows, for /health. */
export interface AggregatorCounters {
  /** Reports summed into rows. */
  readonly accepted: number;
  /** Reports for a minute already closed (sent with a config poll long after the minute). */
  readonly late: number;
  /** Reports refused because their minute already had `MAX_ROWS_PER_MINUTE` rows. */
  readonly tooManyRows: number;
  /** Installs not counted because a minute's set of installs was full. */
  readonly uncountedInstalls: number;
  /** Closed rows dropped because the control plane did not take them within an hour. */
  readonly droppedRows: number;
  /** Closed rows dropped because the control plane refused their batch (400: not worth sending again). */
  readonly rejectedRows: number;
}

/** A shard's durable state besides its rows. Plain JSON, stored in its own table. */
export interface AggregatorState {
  /** The shard this object aggregates, as the Worker said when it first handed it a report. */
  readonly shard: number | null;
  /** Minutes up to this one are closed: their reports are late. */
  readonly closedThrough: number | null;
  readonly flush: FlushState;
  readonly counters: AggregatorCounters;
}

export const INITIAL_AGGREGATOR_STATE: AggregatorState = {
  shard: null,
  closedThrough: null,
  flush: IDLE_FLUSH,
  counters: { accepted: 0, late: 0, tooManyRows: 0, uncountedInstalls: 0, droppedRows: 0, rejectedRows: 0 },
};

const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/** Reads a stored state back; anything unreadable starts afresh rather than failing. Never throws. */
export function readAggregatorState(value: unknown): AggregatorState {
  if (typeof value !== 'object' || value === null) return INITIAL_AGGREGATOR_STATE;
  const state = value as Record<string, unknown>;
  const counters = (
    typeof state.counters === 'object' && state.counters !== null ? state.counters : {}
  ) as Record<string, unknown>;
  return {
    shard: typeof state.shard === 'number' ? state.shard : null,
    closedThrough: typeof state.closedThrough === 'number' ? state.closedThrough : null,
    flush: isFlushState(state.flush) ? state.flush : IDLE_FLUSH,
    counters: {
      accepted: count(counters.accepted),
      late: count(counters.late),
      tooManyRows: count(counters.tooManyRows),
      uncountedInstalls: count(counters.uncountedInstalls),
      droppedRows: count(counters.droppedRows),
      rejectedRows: count(counters.rejectedRows),
    },
  };
}

/** A shard's status as /health shows it. */
export interface AggregatorStatus {
  readonly shard: number | null;
  readonly flush: FlushState;
  readonly openRows: number;
  readonly pendingRows: number;
  readonly counters: AggregatorCounters;
}
