import type { Database, SqlSession } from '../database/database.ts';

/**
 * The Supabase CLI's ledger, `supabase_migrations.schema_migrations`, in the shape the CLI itself
 * creates (`version` key, `statements`, `name`): it holds `supabase/migrations/*` only, whoever
 * applied them, so `supabase db push` and this runner see the same history in either order.
 * Local-only files never go here (see local-ledger.ts): the CLI would refuse a database whose
 * ledger names versions it has no file for ("Remote migration versions not found").
 */
export async function ensureCliLedger(db: Database): Promise<void> {
  await db.exec(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (version text not null primary key);
    alter table supabase_migrations.schema_migrations add column if not exists statements text[];
    alter table supabase_migrations.schema_migrations add column if not exists name text;`);
}

/** The versions (the timestamp before the first `_` of a file name) the ledger records. */
export async function cliLedgerVersions(db: Database): Promise<Set<string>> {
  const { rows } = await db.query<{ version: string }>(
    'select version from supabase_migrations.schema_migrations',
  );
  return new Set(rows.map((row) => row.version));
}

/** `20251031000000_app_config_marketplace.sql` → version and name, as the CLI splits them. */
export function cliMigrationName(file: string): { version: string; name: string } {
  const stem = file.replace(/\.sql$/, '');
  const cut = stem.indexOf('_');
  return cut < 0 ? { version: stem, name: '' } : { version: stem.slice(0, cut), name: stem.slice(cut + 1) };
}

/** Records a migration as the CLI would, in the transaction that applied it. */
export async function recordCliMigration(tx: SqlSession, file: string, sql: string): Promise<void> {
  const { version, name } = cliMigrationName(file);
  await tx.query(
    `insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, array[$3::text])
     on conflict (version) do nothing`,
    [version, name, sql],
  );
}
