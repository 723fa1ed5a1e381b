import type { UsageAggregateRow } from '@cartae/marketplace-core';
import { createClient } from '@supabase/supabase-js';
import { stack } from './admin-session.ts';

export { minutesAgo, usageRow } from '../../../../tests/fixtures/usage-rows.ts';

/** Writes rows as the Worker does: `ingest_usage_aggregates` through the stand-in, with the service key. */
export async function ingestUsage(rows: readonly UsageAggregateRow[]): Promise<void> {
  const { supabaseUrl, serviceRoleKey } = stack();
  const service = createClient(supabaseUrl, serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const { error } = await service.rpc('ingest_usage_aggregates', { p_rows: rows });
  if (error) throw new Error(`ingest_usage_aggregates refused the rows: ${error.message}`);
}
