import { fnv1a32 } from '@cartae/marketplace-core';

/** Shards when USAGE_SHARDS is not set: enough for about 480,000 installs (README, "Fleet telemetry"). */
export const DEFAULT_USAGE_SHARDS = 8;
/** More shards than this would only multiply the control plane's writes (one call per shard per minute). */
export const MAX_USAGE_SHARDS = 256;

/**
 * The shard that aggregates an install's reports: FNV-1a-32 of its `installDay`, modulo the number
 * of shards. All reports of one install on one day land in the same shard, so distinct installs
 * counted per shard add up across shards without double counting.
 *
 * @example
 * usageShardOf('0123456789abcdef', 8); // 0..7
 */
export function usageShardOf(installDay: string, shards: number): number {
  return fnv1a32(installDay) % shards;
}

/**
 * The name of a shard's Durable Object (`idFromName`), so a shard is the same object everywhere.
 *
 * @example
 * env.USAGE_AGGREGATOR.idFromName(usageShardName(3)); // 'usage-shard-3'
 */
export function usageShardName(shard: number): string {
  return `usage-shard-${shard}`;
}
