import { actAsServiceRole } from '../database/act-as-service-role.ts';
import type { Database } from '../database/database.ts';
import { upsertUser } from './auth-users.ts';

/**
 * Creates (or updates) a user with a password in one transaction; with `admin`, also makes them a
 * marketplace admin through `add_marketplace_admin` as the service role, as the first admin is
 * added on Supabase. Local seeding only (`serve --admin-email`, `create-admin --data-dir`, tests).
 */
export async function seedUser(
  db: Database,
  user: { email: string; password: string; displayName?: string; admin?: boolean },
): Promise<{ id: string }> {
  return db.transaction(async (tx) => {
    const created = await upsertUser(tx, user);
    if (user.admin) {
      await actAsServiceRole(tx);
      await tx.query('select public.add_marketplace_admin($1::uuid, $2, $3)', [
        created.id,
        created.email,
        user.displayName ?? null,
      ]);
    }
    return { id: created.id };
  });
}
