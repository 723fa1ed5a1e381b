/** What one mirror run did. Only the first three leave the Worker healthy. */
export type MirrorResult =
  | 'updated'
  | 'unchanged'
  | 'not-modified'
  | 'rejected-older'
  | 'rate-limited'
  | 'failed';

export const HEALTHY_MIRROR_RESULTS: readonly MirrorResult[] = ['updated', 'unchanged', 'not-modified'];

/** The last mirror run, stored in KV for /health and for honouring the Git host's retry time. */
export interface MirrorStatus {
  readonly lastAttemptAt: number;
  readonly lastResult: MirrorResult;
  readonly lastMessage: string;
  /** Last run that reached Git and kept a valid registry (updated, unchanged or 304). */
  readonly lastSuccessAt?: number;
  readonly consecutiveFailures: number;
  /** The Git host asked us to wait until then (429 / rate-limit headers), epoch ms. */
  readonly retryAt?: number;
  /** Registry version current after the run. */
  readonly version?: number;
}

export const MIRROR_STATUS_KEY = 'mirror:status';

/** Reads the last mirror status; `undefined` when none was recorded or it is unreadable. */
export async function readMirrorStatus(kv: KVNamespace): Promise<MirrorStatus | undefined> {
  const value = await kv.get<MirrorStatus>(MIRROR_STATUS_KEY, 'json').catch(() => null);
  if (value === null || typeof value !== 'object' || typeof value.lastAttemptAt !== 'number')
    return undefined;
  return value;
}

export async function writeMirrorStatus(kv: KVNamespace, status: MirrorStatus): Promise<void> {
  await kv.put(MIRROR_STATUS_KEY, JSON.stringify(status));
}

/**
 * The status after a run, from the previous one. Pure.
 *
 * @example
 * nextMirrorStatus(previous, { result: 'failed', message: 'Git answered HTTP 500', at: now });
 */
export function nextMirrorStatus(
  previous: MirrorStatus | undefined,
  run: {
    readonly result: MirrorResult;
    readonly message: string;
    readonly at: number;
    readonly retryAt?: number;
    readonly version?: number;
  },
): MirrorStatus {
  const healthy = HEALTHY_MIRROR_RESULTS.includes(run.result);
  const lastSuccessAt = healthy ? run.at : previous?.lastSuccessAt;
  const version = run.version ?? previous?.version;
  return {
    lastAttemptAt: run.at,
    lastResult: run.result,
    lastMessage: run.message,
    ...(lastSuccessAt === undefined ? {} : { lastSuccessAt }),
    consecutiveFailures: healthy ? 0 : (previous?.consecutiveFailures ?? 0) + 1,
    ...(run.retryAt === undefined ? {} : { retryAt: run.retryAt }),
    ...(version === undefined ? {} : { version }),
  };
}
