import { type FlushState, flushAllowedAt } from './flush-state.ts';

export const MINUTE_MS = 60_000;
/**
 * How long after a minute ends its reports are still awaited. Apps send a minute's report with
 * their next config poll (every 15 s, jittered), so nearly all arrive within this.
 */
export const SETTLE_MS = 30_000;
/**
 * Reports are written to storage at most this long after they arrive (the first one after a
 * quiet spell at once): what a restart of the object (a deploy) can lose. Storage is billed per
 * row written, so writing per report would cost in proportion to the fleet; this costs a few rows
 * per checkpoint, whatever the traffic.
 */
export const CHECKPOINT_MS = 10_000;
/** Closed minutes not delivered within this are dropped (and counted). */
export const MAX_PENDING_AGE_MS = 60 * MINUTE_MS;

/** When a minute stops taking reports and its rows are sent, epoch ms. */
export function minuteClosesAt(minute: number): number {
  return minute + MINUTE_MS + SETTLE_MS;
}

/** The latest minute that is closed at `now` (every earlier one is too). Pure. */
export function lastClosedMinute(now: number): number {
  return Math.floor((now - MINUTE_MS - SETTLE_MS) / MINUTE_MS) * MINUTE_MS;
}

/** Closed minutes before this one are dropped rather than sent. Pure. */
export function oldestDeliverableMinute(now: number): number {
  return now - MAX_PENDING_AGE_MS;
}

/** What an aggregator holds, as far as its alarm is concerned. */
export interface AlarmInputs {
  /** The earliest minute still taking reports, if any. */
  readonly earliestOpenMinute: number | undefined;
  /** When reports not yet written to storage started to accumulate, if any. */
  readonly unsavedSince: number | undefined;
  readonly hasPending: boolean;
  readonly flush: FlushState;
}

/**
 * When the aggregator's alarm should next run, or `undefined` when it has nothing to do: the
 * earliest of the next minute to close, the next checkpoint of unsaved reports, and the next
 * allowed delivery of rows waiting to be sent. Pure.
 *
 * @example
 * nextAlarmAt({ earliestOpenMinute: m, unsavedSince: undefined, hasPending: false, flush }, now); // m + 90 s
 */
export function nextAlarmAt(inputs: AlarmInputs, now: number): number | undefined {
  const candidates: number[] = [];
  if (inputs.earliestOpenMinute !== undefined) candidates.push(minuteClosesAt(inputs.earliestOpenMinute));
  if (inputs.unsavedSince !== undefined) candidates.push(inputs.unsavedSince + CHECKPOINT_MS);
  if (inputs.hasPending) candidates.push(flushAllowedAt(inputs.flush));
  if (candidates.length === 0) return undefined;
  return Math.max(now, Math.min(...candidates));
}
