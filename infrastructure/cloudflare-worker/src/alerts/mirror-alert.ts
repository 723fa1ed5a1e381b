import { HEALTHY_MIRROR_RESULTS, type MirrorStatus } from '../registry/mirror-status.ts';
import type { Alert } from './alert.ts';

/** A mirror whose last healthy run is older than this has stopped running: 3 missed 5-minute runs. */
export const MIRROR_STALE_AFTER_MS = 15 * 60_000;

/** The mirror as alerts see it, from what mirror-status.ts records. */
export type MirrorCondition =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'healthy'; readonly status: MirrorStatus }
  | { readonly kind: 'failing'; readonly status: MirrorStatus }
  | { readonly kind: 'stale'; readonly status: MirrorStatus };

/** What was last alerted, kept in KV; no memory means "healthy" (nothing to recover from). */
export interface MirrorAlertMemory {
  readonly state: 'failing';
  readonly since: number;
}

/** The step after a check: the memory to keep (`null`: forget it) and the alert to send, if any. */
export interface MirrorAlertStep {
  readonly memory?: MirrorAlertMemory | null;
  readonly alert?: Alert;
}

const iso = (epochMs: number | undefined) => (epochMs === undefined ? null : new Date(epochMs).toISOString());

/**
 * Judges the mirror: `failing` when its last run did not leave it healthy (failed, rate-limited,
 * an older version refused), `stale` when its last run was healthy but is older than
 * {@link MIRROR_STALE_AFTER_MS} (the mirror is not running). Pure.
 *
 * @example
 * judgeMirror({ lastResult: 'failed', … }, now).kind; // 'failing'
 */
export function judgeMirror(status: MirrorStatus | undefined, now: number): MirrorCondition {
  if (status === undefined) return { kind: 'unknown' };
  if (!HEALTHY_MIRROR_RESULTS.includes(status.lastResult)) return { kind: 'failing', status };
  if (now - status.lastAttemptAt > MIRROR_STALE_AFTER_MS) return { kind: 'stale', status };
  return { kind: 'healthy', status };
}

function statusDetails(condition: MirrorCondition & { status: MirrorStatus }): Record<string, unknown> {
  const { status } = condition;
  return {
    condition: condition.kind,
    lastResult: status.lastResult,
    lastMessage: status.lastMessage,
    lastAttemptAt: iso(status.lastAttemptAt),
    lastSuccessAt: iso(status.lastSuccessAt),
    consecutiveFailures: status.consecutiveFailures,
    retryAt: iso(status.retryAt),
    version: status.version ?? null,
  };
}

function failingText(condition: MirrorCondition & { status: MirrorStatus }): string {
  const { status } = condition;
  const since = status.lastSuccessAt === undefined ? 'never' : iso(status.lastSuccessAt);
  if (condition.kind === 'stale') {
    return `Cartae registry mirror stale: no run since ${iso(status.lastAttemptAt)} (last success ${since})`;
  }
  const runs =
    status.consecutiveFailures === 1 ? '1 failed run' : `${status.consecutiveFailures} failed runs`;
  return `Cartae registry mirror failing (${status.lastResult}): ${status.lastMessage} (${runs}; last success ${since})`;
}

/**
 * Alerts on transitions only: healthy → failing or stale sends `mirror-failing` and remembers it;
 * failing → healthy sends `mirror-recovered` and forgets it; anything else sends nothing and
 * writes nothing (so KV is written on transitions only). An unknown mirror (never ran) changes
 * nothing. Pure.
 *
 * @example
 * mirrorAlertStep(undefined, judgeMirror(failedStatus, now), now).alert?.event; // 'mirror-failing'
 */
export function mirrorAlertStep(
  memory: MirrorAlertMemory | undefined,
  condition: MirrorCondition,
  now: number,
): MirrorAlertStep {
  if (condition.kind === 'unknown') return {};
  if (condition.kind === 'healthy') {
    if (memory === undefined) return {};
    return {
      memory: null,
      alert: {
        text: `Cartae registry mirror recovered: ${condition.status.lastMessage} (failing since ${iso(memory.since)})`,
        event: 'mirror-recovered',
        at: new Date(now).toISOString(),
        details: { ...statusDetails(condition), failingSince: iso(memory.since) },
      },
    };
  }
  if (memory !== undefined) return {};
  return {
    memory: { state: 'failing', since: now },
    alert: {
      text: failingText(condition),
      event: 'mirror-failing',
      at: new Date(now).toISOString(),
      details: statusDetails(condition),
    },
  };
}
