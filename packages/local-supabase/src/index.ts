/** @cartae/local-supabase — the local stand-in for the parts of Supabase this project uses. */

export { type AuthUser, upsertUser } from './auth/auth-users.ts';
export { createApiKeys, createJwtKeys, type JwtKeys } from './auth/jwt-keys.ts';
export { actAsServiceRole } from './database/act-as-service-role.ts';
export { createDatabase } from './database/create-database.ts';
export type { Database, SqlResult, SqlSession } from './database/database.ts';
export { createPgliteDatabase } from './database/pglite-database.ts';
export { createPostgresDatabase } from './database/postgres-database.ts';
export { type AppliedMigration, applyMigrations, type MigrationOptions } from './migrations/migrate.ts';
export { createStandInApp, MAX_REQUEST_BYTES } from './server/create-stand-in-app.ts';
export { resolveJwtSecret } from './server/jwt-secret.ts';
export { type RunningStandIn, type StandInOptions, startSupabaseStandIn } from './server/start-stand-in.ts';
