/**
 * How a shard's deliveries to the control plane are going, as a tagged state with pure
 * transitions. Plain JSON: the aggregator stores it, and /health shows it.
 */
export type FlushState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'delivered'; readonly at: number; readonly rows: number }
  | {
      readonly kind: 'failing';
      /** Last attempt, epoch ms. */
      readonly at: number;
      readonly failures: number;
      readonly error: string;
      readonly lastDelivered: { readonly at: number; readonly rows: number } | null;
    };

/**
 * What one call to the control plane came to. A refused batch (`retry: false`: the control plane
 * validated it and said no, 400) is not sent again: it would be refused again.
 */
export type FlushResult =
  | { readonly ok: true; readonly rows: number }
  | { readonly ok: false; readonly error: string; readonly retry: boolean };

/** At most one call per shard per minute, and never more often while failing. */
export const MIN_FLUSH_GAP_MS = 60_000;
/** Longest wait between attempts while the control plane fails. */
export const MAX_RETRY_DELAY_MS = 8 * 60_000;

export const IDLE_FLUSH: FlushState = { kind: 'idle' };

/**
 * The state after an attempt. Pure.
 *
 * @example
 * afterFlush(IDLE_FLUSH, { ok: false, error: 'HTTP 503', retry: true }, now); // { kind: 'failing', failures: 1, … }
 */
export function afterFlush(state: FlushState, result: FlushResult, now: number): FlushState {
  if (result.ok) return { kind: 'delivered', at: now, rows: result.rows };
  const lastDelivered =
    state.kind === 'delivered'
      ? { at: state.at, rows: state.rows }
      : state.kind === 'failing'
        ? state.lastDelivered
        : null;
  const failures = state.kind === 'failing' ? state.failures + 1 : 1;
  return { kind: 'failing', at: now, failures, error: result.error, lastDelivered };
}

/**
 * Wait after `failures` consecutive failures: 1, 2, 4, 8 minutes, then 8 minutes. Pure.
 *
 * @example
 * retryDelayMs(3); // 240000
 */
export function retryDelayMs(failures: number): number {
  if (failures <= 0) return MIN_FLUSH_GAP_MS;
  return Math.min(MIN_FLUSH_GAP_MS * 2 ** (failures - 1), MAX_RETRY_DELAY_MS);
}

/** The earliest time the next call may go out, epoch ms. Pure. */
export function flushAllowedAt(state: FlushState): number {
  switch (state.kind) {
    case 'idle':
      return 0;
    case 'delivered':
      return state.at + MIN_FLUSH_GAP_MS;
    case 'failing':
      return state.at + retryDelayMs(state.failures);
  }
}

/** True when a value read back from storage is a `FlushState`. */
export function isFlushState(value: unknown): value is FlushState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Record<string, unknown>;
  switch (state.kind) {
    case 'idle':
      return true;
    case 'delivered':
      return typeof state.at === 'number' && typeof state.rows === 'number';
    case 'failing':
      return (
        typeof state.at === 'number' && typeof state.failures === 'number' && typeof state.error === 'string'
      );
    default:
      return false;
  }
}
