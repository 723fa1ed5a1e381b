import type { WorkerEnv } from '../worker-env.ts';
import type { WorkerSettings } from '../worker-settings.ts';
import type { AggregatorStatus } from './aggregator-state.ts';
import { usageShardName } from './usage-shard.ts';
import { usageTelemetry } from './usage-telemetry.ts';

/** How long /health waits for a shard's status. */
export const SHARD_STATUS_TIMEOUT_MS = 1_000;

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** One shard on /health. */
export interface ShardHealth {
  readonly shard: number;
  readonly state: 'idle' | 'ok' | 'failing' | 'unreachable';
  readonly lastFlushAt: string | null;
  readonly lastFlushRows: number | null;
  readonly failures: number;
  readonly error: string | null;
  readonly openRows: number;
  readonly pendingRows: number;
  readonly lateReports: number;
  /** Rows dropped: undelivered for an hour, or refused by the control plane. */
  readonly droppedRows: number;
}

/** The `usage` section of /health. */
export interface UsageHealth {
  /** `ok`: every shard that has sent rows delivered its last ones; `failing`: one or more did not. */
  readonly state: 'disabled' | 'idle' | 'ok' | 'failing' | 'unknown';
  readonly message: string | null;
  /** The latest delivery of any shard. */
  readonly lastFlush: { readonly at: string; readonly rows: number; readonly shard: number } | null;
  /** Consecutive failed deliveries, summed over shards. */
  readonly failures: number;
  readonly shards: readonly ShardHealth[];
}

/** One shard's status as /health shows it. Pure. */
export function shardHealth(shard: number, status: AggregatorStatus | undefined): ShardHealth {
  if (status === undefined) {
    return {
      shard,
      state: 'unreachable',
      lastFlushAt: null,
      lastFlushRows: null,
      failures: 0,
      error: `no status within ${SHARD_STATUS_TIMEOUT_MS} ms`,
      openRows: 0,
      pendingRows: 0,
      lateReports: 0,
      droppedRows: 0,
    };
  }
  const { flush } = status;
  const delivered =
    flush.kind === 'delivered' ? flush : flush.kind === 'failing' ? flush.lastDelivered : null;
  return {
    shard,
    state: flush.kind === 'idle' ? 'idle' : flush.kind === 'delivered' ? 'ok' : 'failing',
    lastFlushAt: delivered === null ? null : iso(delivered.at),
    lastFlushRows: delivered?.rows ?? null,
    failures: flush.kind === 'failing' ? flush.failures : 0,
    error: flush.kind === 'failing' ? flush.error : null,
    openRows: status.openRows,
    pendingRows: status.pendingRows,
    lateReports: status.counters.late,
    droppedRows: status.counters.droppedRows + status.counters.rejectedRows,
  };
}

/** The usage section from every shard's health. Pure. */
export function summariseUsage(shards: readonly ShardHealth[]): UsageHealth {
  const failing = shards.filter((s) => s.state === 'failing');
  const latest = shards
    .filter((s) => s.lastFlushAt !== null)
    .sort((a, b) => Date.parse(b.lastFlushAt ?? '') - Date.parse(a.lastFlushAt ?? ''))[0];
  const state =
    failing.length > 0
      ? 'failing'
      : shards.some((s) => s.state === 'unreachable')
        ? 'unknown'
        : shards.some((s) => s.state === 'ok')
          ? 'ok'
          : 'idle';
  return {
    state,
    message: failing[0]?.error ?? null,
    lastFlush:
      latest === undefined
        ? null
        : { at: latest.lastFlushAt ?? '', rows: latest.lastFlushRows ?? 0, shard: latest.shard },
    failures: failing.reduce((sum, s) => sum + s.failures, 0),
    shards,
  };
}

async function statusOf(env: WorkerEnv, shard: number): Promise<AggregatorStatus | undefined> {
  const namespace = env.USAGE_AGGREGATOR;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), SHARD_STATUS_TIMEOUT_MS);
  });
  try {
    const status = namespace.get(namespace.idFromName(usageShardName(shard))).status();
    return await Promise.race([status, timeout]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The `usage` section of /health: whether telemetry is on, and each shard's last delivery to the
 * control plane (time, rows), failures and backlog, asked of the shards in parallel (one small
 * request each, answered from memory). Never throws.
 *
 * @example
 * (await readUsageHealth(env, settings)).lastFlush; // { at: '2026-…', rows: 12, shard: 3 }
 */
export async function readUsageHealth(env: WorkerEnv, settings: WorkerSettings): Promise<UsageHealth> {
  const telemetry = usageTelemetry(env, settings);
  if (!telemetry.enabled) {
    return { state: 'disabled', message: telemetry.reason, lastFlush: null, failures: 0, shards: [] };
  }
  const shards = Array.from({ length: settings.usageShards }, (_, shard) => shard);
  const statuses = await Promise.all(shards.map((shard) => statusOf(env, shard)));
  return summariseUsage(shards.map((shard, i) => shardHealth(shard, statuses[i])));
}
