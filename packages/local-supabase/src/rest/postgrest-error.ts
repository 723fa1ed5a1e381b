/** An error body shaped as PostgREST shapes them. */
export interface PostgrestErrorBody {
  code: string;
  message: string;
  details: string | null;
  hint: string | null;
}

/**
 * The HTTP status PostgREST answers for a PostgreSQL error code (PostgREST docs, "Errors", v12 to v14):
 * `PTxyz` codes carry their status; 42501 is 401 for the anon role and 403 otherwise.
 */
export function statusForSqlState(code: string, role: string): number {
  const custom = /^PT(\d{3})$/.exec(code);
  if (custom?.[1]) return Number(custom[1]);
  if (code === '42501') return role === 'anon' ? 401 : 403;
  const exact: Record<string, number> = {
    '23503': 409,
    '23505': 409,
    '25006': 405,
    '42883': 404,
    '42P01': 404,
    '42P17': 500,
    '53400': 500,
    P0001: 400,
  };
  const byCode = exact[code];
  if (byCode) return byCode;
  const byClass: Record<string, number> = {
    '08': 503,
    '09': 500,
    '0L': 403,
    '0P': 403,
    '25': 500,
    '28': 403,
    '2D': 500,
    '38': 500,
    '39': 500,
    '3B': 500,
    '40': 500,
    '53': 503,
    '54': 500,
    '55': 500,
    '57': 500,
    '58': 500,
    F0: 500,
    HV: 500,
    P0: 500,
    XX: 500,
  };
  return byClass[code.slice(0, 2)] ?? 400;
}

/**
 * Turns an error thrown by `pg` or PGlite into PostgREST's body and status. An error with a
 * SQLSTATE is the database's answer; a lost or refused connection is 503 `PGRST000`; anything
 * else is a failure of the stand-in itself: 500 `PGRSTX00`, PostgREST's code for an internal
 * error (`Error.hs`: `code (SQL.ResultError _) = "PGRSTX00"`), whose message never quotes input.
 */
export function postgrestErrorFrom(
  error: unknown,
  role: string,
): { status: number; body: PostgrestErrorBody } {
  const e = error as { code?: unknown; message?: unknown; detail?: unknown; hint?: unknown };
  if (typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
    return {
      status: statusForSqlState(e.code, role),
      body: {
        code: e.code,
        message: typeof e.message === 'string' ? e.message : 'Database error',
        details: typeof e.detail === 'string' ? e.detail : null,
        hint: typeof e.hint === 'string' ? e.hint : null,
      },
    };
  }
  if (isConnectionFailure(error)) {
    return {
      status: 503,
      body: { code: 'PGRST000', message: 'Database connection error.', details: null, hint: null },
    };
  }
  return { status: 500, body: INTERNAL_ERROR };
}

/** PostgREST's body for an internal error; the cause goes to the log, not to the client. */
export const INTERNAL_ERROR: PostgrestErrorBody = {
  code: 'PGRSTX00',
  message: 'Internal error in the local Supabase stand-in',
  details: null,
  hint: null,
};

/** Node's socket errors, and what `pg` and PGlite say once their connection is gone or closed. */
function isConnectionFailure(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  if (
    typeof e?.code === 'string' &&
    /^E(CONNREFUSED|CONNRESET|PIPE|TIMEDOUT|HOSTUNREACH|NOTFOUND|AI_AGAIN)$/.test(e.code)
  ) {
    return true;
  }
  const message = typeof e?.message === 'string' ? e.message : '';
  return /Connection terminated|Client has encountered a connection error|Cannot use a pool after calling end|PGlite is closed/i.test(
    message,
  );
}
