import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import type { Database, SqlSession } from './database.ts';

/**
 * PGlite behind the {@link Database} interface: in memory, or persisted in `dataDir`.
 * One session only, so every request's role and claims are set with `set local` inside a
 * transaction.
 */
export async function createPgliteDatabase(
  options: { dataDir?: string; loadDataDir?: Blob } = {},
): Promise<Database> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    extensions: { pgcrypto },
  });
  const session = (q: Pick<PGlite, 'query' | 'exec'>): SqlSession => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const r = await q.query<Row>(sql, params as unknown[]);
      return { rows: r.rows, ...(r.affectedRows === undefined ? {} : { affectedRows: r.affectedRows }) };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    ...session(db),
    transaction: (fn) => db.transaction((tx) => fn(session(tx))),
    // One transaction holding PGlite's lock, so no other request runs inside it.
    script: <Row>(statements: readonly string[], options: { readOnly?: boolean } = {}) =>
      db.transaction(async (tx) => {
        if (options.readOnly) await tx.exec('set transaction read only');
        const results = await tx.exec(statements.join(';\n'));
        return (results[results.length - 1]?.rows ?? []) as Row[];
      }),
    close: () => db.close(),
    /** PGlite-only: a snapshot of the data directory, to start later instances fast. */
    dump: () => db.dumpDataDir('none'),
  } as Database & { dump(): Promise<Blob | File> };
}
