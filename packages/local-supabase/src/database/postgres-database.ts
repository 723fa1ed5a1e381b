import pg from 'pg';
import type { Database, SqlSession } from './database.ts';

/** A real PostgreSQL server (`DATABASE_URL`) behind the {@link Database} interface, through a pool. */
export function createPostgresDatabase(connectionString: string, options: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // An idle pooled connection can be closed by the server (restart, database dropped). Without a
  // listener that error would crash the process; the pool simply replaces the connection.
  pool.on('error', () => {});
  const session = (client: pg.Pool | pg.PoolClient): SqlSession => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const r = await client.query(sql, params as unknown[]);
      return { rows: r.rows as Row[], ...(r.rowCount === null ? {} : { affectedRows: r.rowCount }) };
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  });
  return {
    kind: 'postgres',
    ...session(pool),
    async script<Row>(statements: readonly string[], options: { readOnly?: boolean } = {}) {
      const client = await pool.connect();
      try {
        const text = `begin${options.readOnly ? ' read only' : ''};\n${statements.join(';\n')};\ncommit`;
        const results = (await client.query(text)) as unknown as pg.QueryResult[];
        return (results[results.length - 2]?.rows ?? []) as Row[];
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn(session(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
