import { randomBytes } from 'node:crypto';
import type { Database, SqlSession } from '../database/database.ts';

/** A row of `auth.users` as the Auth stand-in returns it (GoTrue's user object, trimmed). */
export interface AuthUser {
  id: string;
  aud: 'authenticated';
  role: 'authenticated';
  email: string;
  email_confirmed_at: string;
  confirmed_at: string;
  phone: string;
  app_metadata: Record<string, unknown>;
  user_metadata: Record<string, unknown>;
  identities: unknown[];
  created_at: string;
  updated_at: string;
  is_anonymous: false;
}

interface UserRow {
  id: string;
  email: string;
  raw_user_meta_data: Record<string, unknown>;
  raw_app_meta_data: Record<string, unknown>;
  created_at: Date | string;
  updated_at: Date | string;
}

const USER_COLUMNS = 'id, email, raw_user_meta_data, raw_app_meta_data, created_at, updated_at';
/** bcrypt cost for new passwords: GoTrue uses 10. */
const BCRYPT_COST = 10;

export function toAuthUser(row: UserRow): AuthUser {
  const iso = (v: Date | string) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString());
  return {
    id: row.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: row.email,
    email_confirmed_at: iso(row.created_at),
    confirmed_at: iso(row.created_at),
    phone: '',
    app_metadata: { provider: 'email', providers: ['email'], ...row.raw_app_meta_data },
    user_metadata: row.raw_user_meta_data ?? {},
    identities: [],
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    is_anonymous: false,
  };
}

/** The user whose password matches (bcrypt through pgcrypto's `crypt()`), or undefined. */
export async function findUserByPassword(
  db: SqlSession,
  email: string,
  password: string,
): Promise<AuthUser | undefined> {
  const { rows } = await db.query<UserRow>(
    `select ${USER_COLUMNS} from auth.users
      where lower(email) = lower($1) and encrypted_password is not null
        and encrypted_password = extensions.crypt($2, encrypted_password)`,
    [email, password],
  );
  return rows[0] ? toAuthUser(rows[0]) : undefined;
}

export async function findUserById(db: SqlSession, id: string): Promise<AuthUser | undefined> {
  const { rows } = await db.query<UserRow>(`select ${USER_COLUMNS} from auth.users where id = $1::uuid`, [
    id,
  ]);
  return rows[0] ? toAuthUser(rows[0]) : undefined;
}

/** Creates a user, or sets the password and name of the one with that email. */
export async function upsertUser(
  db: SqlSession,
  user: { email: string; password: string; displayName?: string },
): Promise<AuthUser> {
  const { rows } = await db.query<UserRow>(
    `insert into auth.users (email, encrypted_password, raw_user_meta_data)
     values (lower($1), extensions.crypt($2, extensions.gen_salt('bf', ${BCRYPT_COST})), $3::jsonb)
     on conflict (email) do update
       set encrypted_password = excluded.encrypted_password,
           raw_user_meta_data = auth.users.raw_user_meta_data || excluded.raw_user_meta_data,
           updated_at = now()
     returning ${USER_COLUMNS}`,
    [user.email, user.password, JSON.stringify(user.displayName ? { full_name: user.displayName } : {})],
  );
  return toAuthUser(rows[0] as UserRow);
}

/** Creates a user unless that email is taken (then undefined), as GoTrue's admin API does. */
export async function createUserIfAbsent(
  db: SqlSession,
  user: { email: string; password: string; metadata: Record<string, unknown> },
): Promise<AuthUser | undefined> {
  const { rows } = await db.query<UserRow>(
    `insert into auth.users (email, encrypted_password, raw_user_meta_data)
     values (lower($1), extensions.crypt($2, extensions.gen_salt('bf', ${BCRYPT_COST})), $3::jsonb)
     on conflict (email) do nothing
     returning ${USER_COLUMNS}`,
    [user.email, user.password, JSON.stringify(user.metadata)],
  );
  return rows[0] ? toAuthUser(rows[0]) : undefined;
}

/** Opens a session and returns its first refresh token. */
export async function openSession(
  db: Database,
  userId: string,
): Promise<{ sessionId: string; refreshToken: string }> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      'insert into auth.sessions (user_id) values ($1::uuid) returning id',
      [userId],
    );
    const sessionId = (rows[0] as { id: string }).id;
    const refreshToken = newRefreshToken();
    await tx.query(
      'insert into auth.refresh_tokens (token, user_id, session_id) values ($1, $2::uuid, $3::uuid)',
      [refreshToken, userId, sessionId],
    );
    return { sessionId, refreshToken };
  });
}

export type RefreshOutcome =
  | { ok: true; userId: string; sessionId: string; refreshToken: string }
  | { ok: false; reason: 'not_found' | 'already_used' };

/** Exchanges a refresh token for a new one in the same session; each token works once. */
export async function rotateRefreshToken(db: Database, token: string): Promise<RefreshOutcome> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ user_id: string; session_id: string; revoked: boolean }>(
      `select r.user_id, r.session_id, r.revoked from auth.refresh_tokens r
         join auth.sessions s on s.id = r.session_id
        where r.token = $1 for update of r`,
      [token],
    );
    const row = rows[0];
    if (!row) return { ok: false, reason: 'not_found' } as const;
    if (row.revoked) return { ok: false, reason: 'already_used' } as const;
    await tx.query('update auth.refresh_tokens set revoked = true where token = $1', [token]);
    const refreshToken = newRefreshToken();
    await tx.query(
      'insert into auth.refresh_tokens (token, user_id, session_id, parent) values ($1, $2::uuid, $3::uuid, $4)',
      [refreshToken, row.user_id, row.session_id, token],
    );
    await tx.query('update auth.sessions set updated_at = now() where id = $1::uuid', [row.session_id]);
    return { ok: true, userId: row.user_id, sessionId: row.session_id, refreshToken } as const;
  });
}

export async function sessionExists(db: SqlSession, sessionId: string): Promise<boolean> {
  const { rows } = await db.query('select 1 from auth.sessions where id = $1::uuid', [sessionId]);
  return rows.length > 0;
}

/** Ends sessions as GoTrue's logout scopes do: this one, all of the user's, or all but this one. */
export async function closeSessions(
  db: SqlSession,
  userId: string,
  sessionId: string | undefined,
  scope: 'global' | 'local' | 'others',
): Promise<void> {
  if (scope === 'global' || !sessionId) {
    await db.query('delete from auth.sessions where user_id = $1::uuid', [userId]);
  } else if (scope === 'local') {
    await db.query('delete from auth.sessions where id = $1::uuid', [sessionId]);
  } else {
    await db.query('delete from auth.sessions where user_id = $1::uuid and id <> $2::uuid', [
      userId,
      sessionId,
    ]);
  }
}

function newRefreshToken(): string {
  return randomBytes(18).toString('base64url');
}
