/**
 * The one interface every part of the local Supabase stand-in uses to talk to Postgres, whether
 * the back end is PGlite (embedded default) or a real server reached through `DATABASE_URL`.
 *
 * Both back ends run the same SQL. PGlite is a single session, so role and JWT claims are only
 * ever set with `set local` / `set_config(..., true)` inside `transaction()`, never per session.
 */
export interface SqlResult<Row> {
  rows: Row[];
  /** Rows changed by INSERT/UPDATE/DELETE, when the driver reports it. */
  affectedRows?: number;
}

export interface SqlSession {
  /** One statement with `$1…$n` parameters. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<SqlResult<Row>>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends SqlSession {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs parameterless statements as one transaction in as few round trips as the back end
   * allows (one, on a server) and returns the rows of the last statement; rolls back on error.
   * Values must already be literals (see `sqlLiteral`). The stand-in's per-request path.
   */
  script<Row = Record<string, unknown>>(
    statements: readonly string[],
    options?: { readOnly?: boolean },
  ): Promise<Row[]>;
  /** Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
