import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyMigrations,
  createPostgresDatabase,
  type Database,
} from '../../packages/local-supabase/src/index.ts';
import { type PostgresCluster, startPostgresCluster } from '../../supabase/tests/support/postgres-cluster.ts';

const root = new URL('../..', import.meta.url).pathname;
// scripts/test-all.mjs installs the pinned CLI into .tmp and names it here.
const cli = process.env.SUPABASE_CLI ?? join(root, '.tmp/supabase-cli-2.122.1/node_modules/.bin/supabase');
const migrations = readdirSync(join(root, 'supabase/migrations')).filter((f) => f.endsWith('.sql'));

let cluster: PostgresCluster;
const open: Database[] = [];

/** The CLI on a database of the cluster (our cluster speaks plaintext on loopback only). */
function supabase(args: string[], database: string): { status: number | null; output: string } {
  const url = `${cluster.url(database)}?sslmode=disable`;
  const r = spawnSync(cli, [...args, '--db-url', url], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

async function database(name: string): Promise<Database> {
  const admin = createPostgresDatabase(cluster.url('postgres'), { max: 1 });
  await admin.exec(`create database ${name}`);
  await admin.close();
  const db = createPostgresDatabase(cluster.url(name), { max: 1 });
  open.push(db);
  return db;
}

/** What a Supabase project has before any migration: its roles and `auth` (our local stand-ins). */
async function withSupabaseBasics(db: Database): Promise<void> {
  const dir = join(root, 'supabase/local');
  for (const file of readdirSync(dir).sort()) await db.exec(readFileSync(join(dir, file), 'utf8'));
}

async function cliVersions(db: Database): Promise<string[]> {
  const { rows } = await db.query<{ version: string }>(
    'select version from supabase_migrations.schema_migrations order by version',
  );
  return rows.map((row) => row.version);
}

const everyVersion = migrations.map((file) => file.split('_')[0]).sort();

beforeAll(async () => {
  cluster = await startPostgresCluster();
});

afterAll(async () => {
  await Promise.all(open.map((db) => db.close()));
  cluster?.stop();
});

describe('supabase db push and our runner share one ledger', () => {
  it('db push first: the runner then finds every migration applied', async () => {
    const db = await database('cli_first');
    await withSupabaseBasics(db);
    const push = supabase(['db', 'push', '--yes'], 'cli_first');
    expect(push.output).toContain('Finished supabase db push');
    expect(push.status).toBe(0);
    expect(await cliVersions(db)).toEqual(everyVersion);

    const results = await applyMigrations(db, { includeLocal: true });
    expect(results.filter((r) => r.applied && migrations.includes(r.name))).toEqual([]);
    const again = supabase(['db', 'push', '--yes'], 'cli_first');
    expect(again.output).toContain('Remote database is up to date');
    expect(again.status).toBe(0);
  });

  it('runner first (local files included): db push finds nothing to do and no unknown version', async () => {
    const db = await database('runner_first');
    await applyMigrations(db, { includeLocal: true });
    expect(await cliVersions(db)).toEqual(everyVersion);
    const push = supabase(['db', 'push', '--yes'], 'runner_first');
    expect(push.output).toContain('Remote database is up to date');
    expect(push.status).toBe(0);
  });

  it('a database migrated before the ledgers were split is put right by the runner', async () => {
    const db = await database('old_ledger');
    await applyMigrations(db, { includeLocal: true });
    // The earlier runner's shape: checksums and local files in the CLI's own table.
    await db.exec(`
      alter table supabase_migrations.schema_migrations add column checksum text;
      alter table supabase_migrations.schema_migrations add column applied_at timestamptz not null default now();
      update supabase_migrations.schema_migrations s set checksum = a.checksum, name = a.file
        from cartae_migrations.applied a where a.file = 'migrations/' || s.version || '_' || s.name || '.sql';
      insert into supabase_migrations.schema_migrations (version, name, checksum)
        select file, substr(file, 7), checksum from cartae_migrations.applied where file like 'local/%';
      drop schema cartae_migrations cascade;`);
    expect(supabase(['db', 'push', '--dry-run'], 'old_ledger').output).toContain(
      'Remote migration versions not found',
    );

    const results = await applyMigrations(db, { includeLocal: true });
    expect(results.filter((r) => r.applied)).toEqual([]);
    expect(await cliVersions(db)).toEqual(everyVersion);
    const push = supabase(['db', 'push', '--yes'], 'old_ledger');
    expect(push.output).toContain('Remote database is up to date');
  });
});

describe('supabase db lint', () => {
  it('finds no error in our schemas', async () => {
    const db = await database('lint');
    await applyMigrations(db, { includeLocal: true });
    const lint = supabase(
      ['db', 'lint', '--schema', 'public,marketplace_private', '--level', 'error', '--fail-on', 'error'],
      'lint',
    );
    expect(lint.output).not.toContain('"level": "error"');
    expect(lint.status).toBe(0);
  });
});
