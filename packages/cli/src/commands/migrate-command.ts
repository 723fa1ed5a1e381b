import { resolve } from 'node:path';
import type { Command } from 'commander';
import { CliError, EXIT } from '../support/exit-codes.ts';
import type { Output } from '../support/output.ts';

/** `migrate`: apply pending migrations with the ledger, to PGlite or any PostgreSQL. */
export function registerMigrateCommand(
  program: Command,
  globals: () => { dataDir: string; output: Output; repoRoot: string },
) {
  program
    .command('migrate')
    .description(
      'Apply pending migrations (supabase/migrations) to PostgreSQL or PGlite; for Supabase prefer `supabase db push`',
    )
    .option('--database-url <url>', 'PostgreSQL connection string (default: $DATABASE_URL)')
    .option('--pglite <dir>', 'a PGlite data folder instead (default: <data-dir>/supabase)')
    .option(
      '--local',
      'also apply supabase/local/ (roles and auth schema for plain PostgreSQL; never on Supabase)',
    )
    .action(async (flags: { databaseUrl?: string; pglite?: string; local?: boolean }) => {
      const g = globals();
      const databaseUrl = flags.databaseUrl ?? process.env.DATABASE_URL;
      const dataDir = flags.pglite ?? resolve(g.dataDir, 'supabase');
      if (databaseUrl && flags.pglite)
        throw new CliError('give --database-url or --pglite, not both', EXIT.usage);
      const { applyMigrations, createDatabase } = await import('@cartae/local-supabase');
      const db = await createDatabase(databaseUrl ? { databaseUrl } : { dataDir });
      try {
        const results = await applyMigrations(db, {
          includeLocal: flags.local === true || !databaseUrl,
          root: g.repoRoot,
          log: (line) => g.output.note(`  ${line}`),
        });
        const applied = results.filter((r) => r.applied).length;
        g.output.result(
          results,
          () =>
            `✔ ${applied} applied, ${results.length - applied} already up to date (${databaseUrl ? 'PostgreSQL' : `PGlite in ${dataDir}`})`,
        );
      } catch (error) {
        throw new CliError(`migration failed: ${(error as Error).message}`, EXIT.failure);
      } finally {
        await db.close();
      }
    });
}
