/** @cartae/local-supabase — the local stand-in for the parts of Supabase this project uses. */

export { createDatabase } from './database/create-database.ts';
export type { Database, SqlResult, SqlSession } from './database/database.ts';
export { createPgliteDatabase } from './database/pglite-database.ts';
export { createPostgresDatabase } from './database/postgres-database.ts';
export { type AppliedMigration, applyMigrations, type MigrationOptions } from './migrations/migrate.ts';
