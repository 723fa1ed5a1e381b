import type { Database } from './database.ts';
import { createPgliteDatabase } from './pglite-database.ts';
import { createPostgresDatabase } from './postgres-database.ts';

/**
 * Opens the database the stand-in runs on: a real server when `databaseUrl` is given, else
 * PGlite (persisted in `dataDir`, or in memory).
 */
export async function createDatabase(
  options: { databaseUrl?: string; dataDir?: string } = {},
): Promise<Database> {
  if (options.databaseUrl) return createPostgresDatabase(options.databaseUrl);
  return createPgliteDatabase(options.dataDir ? { dataDir: options.dataDir } : {});
}
