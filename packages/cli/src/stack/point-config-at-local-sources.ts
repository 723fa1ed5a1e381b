import { actAsServiceRole, type RunningStandIn } from '@cartae/local-supabase';

/**
 * The installed default points at production; locally the fleet must use the local Git host
 * and Worker. Done as the service role (origin recorded), only when the URLs differ.
 */
export async function pointConfigAtLocalSources(
  standIn: RunningStandIn,
  local: { gitUrl: string; cdnUrl: string; cacheTtlSeconds: number },
): Promise<void> {
  await standIn.database.transaction(async (tx) => {
    await actAsServiceRole(tx);
    const { rows } = await tx.query<{ config_value: Record<string, unknown> }>(
      `select config_value from public.app_config where config_key = 'marketplace_source'`,
    );
    const current = rows[0]?.config_value ?? { type: 'git' };
    const wanted = { gitUrl: local.gitUrl, ...(local.cdnUrl ? { cloudflareUrl: local.cdnUrl } : {}) };
    if (Object.entries(wanted).every(([k, v]) => current[k] === v)) return;
    await tx.query(`select public.update_app_config('marketplace_source', $1::jsonb, $2)`, [
      JSON.stringify({ ...current, ...wanted, cacheTtlSeconds: local.cacheTtlSeconds }),
      'cartae-marketplace up: local Git host and Worker',
    ]);
  });
}
