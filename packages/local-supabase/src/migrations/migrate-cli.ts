/**
 * Applies the migrations to a database: `npx tsx packages/local-supabase/src/migrations/migrate-cli.ts
 * [--database-url URL | --data-dir DIR] [--local]`. `DATABASE_URL` is read when no flag is given.
 */
import { parseArgs } from 'node:util';
import { createDatabase } from '../database/create-database.ts';
import { applyMigrations } from './migrate.ts';

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
    local: { type: 'boolean', default: false },
  },
});
const databaseUrl = values['database-url'] ?? process.env.DATABASE_URL;
const dataDir = values['data-dir'];
if (!databaseUrl && !dataDir) {
  console.error('Say where: --database-url postgres://… (or DATABASE_URL), or --data-dir ./.data/pglite');
  process.exit(2);
}
const db = await createDatabase({ ...(databaseUrl ? { databaseUrl } : {}), ...(dataDir ? { dataDir } : {}) });
try {
  const results = await applyMigrations(db, {
    includeLocal: values.local === true,
    log: (line) => console.log(line),
  });
  console.log(
    `${results.filter((r) => r.applied).length} applied, ${results.filter((r) => !r.applied).length} already up to date`,
  );
} catch (error) {
  console.error(`✖ ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
