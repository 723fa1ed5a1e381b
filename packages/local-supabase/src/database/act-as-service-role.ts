import type { SqlSession } from './database.ts';

/**
 * Makes the rest of the current transaction run as Supabase's `service_role`, exactly as a
 * request with the service key would (role and JWT claims, transaction-local). For local
 * automation: seeding admins, pointing the local fleet at local sources.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   await actAsServiceRole(tx);
 *   await tx.query('select public.add_marketplace_admin($1::uuid)', [id]);
 * });
 */
export async function actAsServiceRole(tx: SqlSession): Promise<void> {
  await tx.query(
    `select set_config('role', 'service_role', true), set_config('request.jwt.claims', '{"role":"service_role"}', true)`,
  );
}
