import type { UsageAggregateRow } from '@cartae/marketplace-core';
import { createClient } from '@supabase/supabase-js';
import { stack } from './admin-session.ts';

/**
 * A valid aggregate row, as the edge Worker writes it: zeros, an empty histogram, no quota,
 * `fields` on top. Typed as the contract, so a field added to `UsageAggregateRow` shows up here.
 */
export function usageRow(minute: string, fields: Partial<UsageAggregateRow> = {}): UsageAggregateRow {
  return {
    minute,
    shard: 0,
    source: 'git',
    configVersion: 1,
    installs: 0,
    reports: 0,
    requests: 0,
    successes: 0,
    notModified: 0,
    errors: 0,
    rateLimited: 0,
    timeouts: 0,
    refused: 0,
    fallbacks: 0,
    staleServes: 0,
    latency: [0, 0, 0, 0, 0, 0, 0, 0],
    quotaRemaining: null,
    quotaLimit: null,
    ...fields,
  };
}

/** The start of the minute `n` minutes before the current one, as toISOString writes it. */
export const minutesAgo = (n: number): string =>
  new Date((Math.floor(Date.now() / 60_000) - n) * 60_000).toISOString();

/** Writes rows as the Worker does: `ingest_usage_aggregates` through the stand-in, with the service key. */
export async function ingestUsage(rows: readonly UsageAggregateRow[]): Promise<void> {
  const { supabaseUrl, serviceRoleKey } = stack();
  const service = createClient(supabaseUrl, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const { error } = await service.rpc('ingest_usage_aggregates', { p_rows: rows });
  if (error) throw new Error(`ingest_usage_aggregates refused the rows: ${error.message}`);
}
