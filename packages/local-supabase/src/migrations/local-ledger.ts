import type { Database, SqlSession } from '../database/database.ts';

/**
 * This runner's own ledger, `cartae_migrations.applied`: the local-only files
 * (`local/00_supabase_compat.sql`, …, never applied to a real project) and the checksum of every
 * file it applied, so an applied migration edited afterwards is caught. The Supabase CLI never
 * reads it.
 *
 * Databases migrated before the two ledgers were split kept everything, checksums included, in
 * the CLI's table: their rows move here once, and the CLI's table gets its own shape back.
 */
export async function ensureLocalLedger(db: Database): Promise<void> {
  await db.exec(`
    create schema if not exists cartae_migrations;
    create table if not exists cartae_migrations.applied (
      file text primary key,
      checksum text not null,
      applied_at timestamptz not null default now()
    );
    do $$
    begin
      if exists (
        select 1 from information_schema.columns
        where table_schema = 'supabase_migrations' and table_name = 'schema_migrations' and column_name = 'checksum'
      ) then
        insert into cartae_migrations.applied (file, checksum, applied_at)
          select case when version like 'local/%' then version else 'migrations/' || name end, checksum, applied_at
          from supabase_migrations.schema_migrations
          where checksum is not null
        on conflict (file) do nothing;
        delete from supabase_migrations.schema_migrations where version like 'local/%';
        alter table supabase_migrations.schema_migrations drop column checksum;
        alter table supabase_migrations.schema_migrations drop column if exists applied_at;
        update supabase_migrations.schema_migrations
          set name = regexp_replace(name, '^[0-9]+_(.*)\\.sql$', '\\1')
          where name ~ '^[0-9]+_.*\\.sql$';
      end if;
    end
    $$;`);
}

/** Checksums by ledger key (`local/<file>` or `migrations/<file>`). */
export async function localLedgerChecksums(db: Database): Promise<Map<string, string>> {
  const { rows } = await db.query<{ file: string; checksum: string }>(
    'select file, checksum from cartae_migrations.applied',
  );
  return new Map(rows.map((row) => [row.file, row.checksum]));
}

export async function recordChecksum(tx: SqlSession, key: string, checksum: string): Promise<void> {
  await tx.query(
    `insert into cartae_migrations.applied (file, checksum) values ($1, $2)
     on conflict (file) do update set checksum = excluded.checksum, applied_at = now()`,
    [key, checksum],
  );
}
