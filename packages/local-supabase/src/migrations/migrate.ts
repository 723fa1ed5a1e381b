import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from '../database/database.ts';
import { cliLedgerVersions, cliMigrationName, ensureCliLedger, recordCliMigration } from './cli-ledger.ts';
import { ensureLocalLedger, localLedgerChecksums, recordChecksum } from './local-ledger.ts';

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
 * Applies pending migrations in name order, each in its own transaction. `supabase/migrations/*`
 * are recorded in the Supabase CLI's ledger exactly as `supabase db push` records them
 * (cli-ledger.ts), so either can migrate a database the other migrated first; local-only files
 * and every checksum in this runner's own ledger (local-ledger.ts). Re-running is a no-op; an
 * applied migration whose content changed is refused, since the database no longer matches it; a
 * changed local file (idempotent by design) is applied again.
 */
export async function applyMigrations(db: Database, options: MigrationOptions): Promise<AppliedMigration[]> {
  const root = options.root ?? defaultRoot;
  const log = options.log ?? (() => {});
  await ensureCliLedger(db);
  await ensureLocalLedger(db);
  const applied = await cliLedgerVersions(db);
  const checksums = await localLedgerChecksums(db);
  const results: AppliedMigration[] = [];

  if (options.includeLocal) {
    const dir = join(root, 'supabase/local');
    for (const file of await sqlFiles(dir)) {
      const sql = await readFile(join(dir, file), 'utf8');
      const checksum = sha256(sql);
      const key = `local/${file}`;
      if (checksums.get(key) === checksum) {
        results.push({ name: file, applied: false });
        continue;
      }
      await db.transaction(async (tx) => {
        await tx.exec(sql);
        await recordChecksum(tx, key, checksum);
      });
      log(`applied ${key}`);
      results.push({ name: file, applied: true });
    }
  }

  const dir = join(root, 'supabase/migrations');
  for (const file of await sqlFiles(dir)) {
    const sql = await readFile(join(dir, file), 'utf8');
    const checksum = sha256(sql);
    const key = `migrations/${file}`;
    if (applied.has(cliMigrationName(file).version)) {
      const known = checksums.get(key);
      if (known !== undefined && known !== checksum) {
        throw new Error(
          `migration ${file} changed after it was applied; add a new migration instead of editing it`,
        );
      }
      results.push({ name: file, applied: false });
      continue;
    }
    await db.transaction(async (tx) => {
      await tx.exec(sql);
      await recordCliMigration(tx, file, sql);
      await recordChecksum(tx, key, checksum);
    });
    log(`applied ${file}`);
    results.push({ name: file, applied: true });
  }
  return results;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
