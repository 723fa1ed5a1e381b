import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import {
  applyMigrations,
  createPgliteDatabase,
  createPostgresDatabase,
  type Database,
  type SqlSession,
} from '../../../packages/local-supabase/src/index.ts';

export type BackendName = 'postgres' | 'pglite';
export const BACKENDS: BackendName[] = ['postgres', 'pglite'];

/**
 * A fresh, fully migrated database on one back end: on real Postgres a copy of the template
 * the global setup prepared; on PGlite a new in-memory instance.
 */
export async function openBackend(
  name: BackendName,
): Promise<{ db: Database; url?: string; close(): Promise<void> }> {
  if (name === 'pglite') {
    const db = await createPgliteDatabase();
    await applyMigrations(db, { includeLocal: true });
    return { db, close: () => db.close() };
  }
  const adminUrl = inject('postgresAdminUrl');
  const database = `t_${randomUUID().replace(/-/g, '')}`;
  const admin = createPostgresDatabase(adminUrl, { max: 1 });
  await admin.exec(`create database ${database} template cartae_template`);
  const url = adminUrl.replace(/\/postgres$/, `/${database}`);
  const db = createPostgresDatabase(url, { max: 20 });
  return {
    db,
    url,
    async close() {
      await db.close();
      await admin.exec(`drop database if exists ${database} with (force)`);
      await admin.close();
    },
  };
}

export type Role = 'anon' | 'authenticated' | 'service_role';

/**
 * Runs `fn` the way PostgREST runs a request: one transaction, `set local role`, and the JWT
 * claims in `request.jwt.claims`.
 */
export function asRole<T>(
  db: Database,
  role: Role,
  sub: string | undefined,
  fn: (tx: SqlSession) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.exec(`set local role ${role}`);
    await tx.query(`select set_config('request.jwt.claims', $1, true)`, [
      JSON.stringify({ role, ...(sub ? { sub } : {}) }),
    ]);
    return fn(tx);
  });
}

/** Creates a user in auth.users (as the owner, like GoTrue would) and returns its id. */
export async function createUser(db: Database, email: string, name?: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into auth.users (email, encrypted_password, raw_user_meta_data)
     values ($1, extensions.crypt('password', extensions.gen_salt('bf', 4)), $2) returning id`,
    [email, JSON.stringify(name ? { full_name: name } : {})],
  );
  return (rows[0] as { id: string }).id;
}
