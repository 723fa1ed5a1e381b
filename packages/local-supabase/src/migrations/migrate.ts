import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '../database/database.ts';

export interface MigrationOptions {
  /** Also apply `supabase/local/*.sql` first (local stack and tests only, never real Supabase). */
  readonly includeLocal: boolean;
  /** Repository root; defaults to this checkout. */
  readonly root?: string;
  readonly log?: (line: string) => void;
}

export interface AppliedMigration {
  readonly name: string;
  readonly applied: boolean;
}

const defaultRoot = new URL('../../../../', import.meta.url).pathname;

async function sqlFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  } catch {
    return [];
  }
}

/**
 * Applies pending migrations in name order, each in its own transaction, recording them in
 * `supabase_migrations.schema_migrations` (the ledger the Supabase CLI keeps). Re-running is a
 * no-op; an applied file whose content changed is refused, since the database no longer matches it.
 */
export async function applyMigrations(db: Database, options: MigrationOptions): Promise<AppliedMigration[]> {
  const root = options.root ?? defaultRoot;
  const log = options.log ?? (() => {});
  await db.exec(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.schema_migrations (
      version text primary key,
      name text,
      checksum text,
      applied_at timestamptz not null default now()
    );`);
  const folders = [
    ...(options.includeLocal ? [['local', join(root, 'supabase/local')]] : []),
    ['', join(root, 'supabase/migrations')],
  ];
  const results: AppliedMigration[] = [];
  for (const [prefix, dir] of folders as [string, string][]) {
    for (const file of await sqlFiles(dir)) {
      const sql = await readFile(join(dir, file), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const version = prefix ? `${prefix}/${file}` : (file.split('_')[0] as string);
      const { rows } = await db.query<{ checksum: string }>(
        'select checksum from supabase_migrations.schema_migrations where version = $1',
        [version],
      );
      const existing = rows[0];
      if (existing) {
        // Local files are idempotent and may evolve; migrations must not change once applied.
        if (existing.checksum !== checksum && !prefix) {
          throw new Error(
            `migration ${file} changed after it was applied; add a new migration instead of editing it`,
          );
        }
        if (existing.checksum === checksum || !prefix) {
          results.push({ name: file, applied: false });
          continue;
        }
      }
      await db.transaction(async (tx) => {
        await tx.exec(sql);
        await tx.query(
          `insert into supabase_migrations.schema_migrations (version, name, checksum) values ($1, $2, $3)
           on conflict (version) do update set checksum = excluded.checksum, applied_at = now()`,
          [version, file, checksum],
        );
      });
      log(`applied ${prefix ? `${prefix}/` : ''}${file}`);
      results.push({ name: file, applied: true });
    }
  }
  return results;
}
