import { type Context, Hono } from 'hono';
import type { Database } from '../database/database.ts';
import { apiKeyProblem, bearerToken } from './api-gateway.ts';
import {
  type AuthUser,
  closeSessions,
  createUserIfAbsent,
  findUserById,
  findUserByPassword,
  openSession,
  rotateRefreshToken,
  sessionExists,
} from './auth-users.ts';
import type { JwtKeys } from './jwt-keys.ts';

/** The API version GoTrue answers with when the client asks for it (supabase-js does). */
const API_VERSION = '2024-01-01';

/**
 * The slice of GoTrue (`/auth/v1`) supabase-js needs for email + password: sign in, refresh,
 * read the user, sign out. Access tokens are HS256 JWTs with Supabase's claims; refresh tokens
 * are single-use and rotate within a session; signing out deletes sessions.
 */
export function createAuthRoutes(deps: {
  db: Database;
  keys: JwtKeys;
  apiKeys: { anonKey: string; serviceRoleKey: string };
  issuer: () => string;
  accessTokenSeconds: number;
}): Hono {
  const auth = new Hono();

  auth.use('*', async (c, next) => {
    const gateway = apiKeyProblem(c.req.header('apikey') ?? c.req.query('apikey'), deps.apiKeys);
    return gateway ? c.json(gateway, 401) : next();
  });

  auth.get('/health', (c) =>
    c.json({ version: 'local-stand-in', name: 'GoTrue', description: 'Local Auth stand-in' }),
  );

  auth.post('/token', async (c) => {
    const grantType = c.req.query('grant_type');
    const body = await readJson(c.req.raw);
    if (grantType === 'password') {
      const email = typeof body.email === 'string' ? body.email : '';
      const password = typeof body.password === 'string' ? body.password : '';
      if (!email || !password) return authError(c, 400, 'validation_failed', 'missing email or password');
      const user = await findUserByPassword(deps.db, email, password);
      if (!user) return authError(c, 400, 'invalid_credentials', 'Invalid login credentials');
      const session = await openSession(deps.db, user.id);
      return c.json(await sessionResponse(user, session.sessionId, session.refreshToken));
    }
    if (grantType === 'refresh_token') {
      const token = typeof body.refresh_token === 'string' ? body.refresh_token : '';
      if (!token) return authError(c, 400, 'validation_failed', 'refresh_token is required');
      const rotated = await rotateRefreshToken(deps.db, token);
      if (!rotated.ok) {
        return rotated.reason === 'already_used'
          ? authError(c, 400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used')
          : authError(c, 400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
      }
      const user = await findUserById(deps.db, rotated.userId);
      if (!user) return authError(c, 400, 'user_not_found', 'User not found');
      return c.json(await sessionResponse(user, rotated.sessionId, rotated.refreshToken));
    }
    return authError(
      c,
      400,
      'unsupported_grant_type',
      'unsupported_grant_type: use password or refresh_token',
    );
  });

  /** `auth.admin.createUser()`: service role only, as GoTrue's admin API. */
  auth.post('/admin/users', async (c) => {
    const check = await deps.keys.verify(bearerToken(c.req.header('authorization')) ?? '');
    if (!check.ok || check.claims.role !== 'service_role') {
      return authError(c, 403, 'not_admin', 'User not allowed');
    }
    const body = await readJson(c.req.raw);
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    if (!/^[^@\s]+@[^@\s]+$/.test(email))
      return authError(c, 400, 'validation_failed', 'Unable to validate email address: invalid format');
    if (password.length < 6)
      return authError(c, 422, 'weak_password', 'Password should be at least 6 characters.');
    const metadata =
      body.user_metadata !== null && typeof body.user_metadata === 'object' ? body.user_metadata : {};
    const created = await createUserIfAbsent(deps.db, {
      email,
      password,
      metadata: metadata as Record<string, unknown>,
    });
    if (!created) {
      return authError(c, 422, 'email_exists', 'A user with this email address has already been registered');
    }
    return c.json(created);
  });

  auth.get('/user', async (c) => {
    const caller = await authenticate(c);
    if (!caller.ok) return caller.response;
    return c.json(caller.user);
  });

  auth.post('/logout', async (c) => {
    const caller = await authenticate(c);
    if (!caller.ok) return caller.response;
    const scopeParam = c.req.query('scope') ?? 'global';
    if (scopeParam !== 'global' && scopeParam !== 'local' && scopeParam !== 'others') {
      return authError(c, 400, 'validation_failed', 'scope must be global, local or others');
    }
    await closeSessions(deps.db, caller.user.id, caller.sessionId, scopeParam);
    return c.body(null, 204);
  });

  auth.all('*', (c) =>
    authError(
      c,
      404,
      'not_found',
      `${c.req.method} ${new URL(c.req.url).pathname} is not served by the local Auth stand-in`,
    ),
  );

  async function sessionResponse(user: AuthUser, sessionId: string, refreshToken: string) {
    const now = Math.floor(Date.now() / 1000);
    const accessToken = await deps.keys.sign(
      {
        iss: deps.issuer(),
        aud: 'authenticated',
        sub: user.id,
        email: user.email,
        phone: '',
        app_metadata: user.app_metadata,
        user_metadata: user.user_metadata,
        role: 'authenticated',
        aal: 'aal1',
        amr: [{ method: 'password', timestamp: now }],
        session_id: sessionId,
        is_anonymous: false,
      },
      deps.accessTokenSeconds,
    );
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: deps.accessTokenSeconds,
      expires_at: now + deps.accessTokenSeconds,
      refresh_token: refreshToken,
      user,
    };
  }

  async function authenticate(
    c: Context,
  ): Promise<
    { ok: true; user: AuthUser; sessionId: string | undefined } | { ok: false; response: Response }
  > {
    const token = bearerToken(c.req.header('authorization'));
    if (!token) {
      return {
        ok: false,
        response: authError(c, 401, 'no_authorization', 'This endpoint requires a Bearer token'),
      };
    }
    const check = await deps.keys.verify(token);
    if (!check.ok) {
      const why = check.reason === 'expired' ? 'token is expired' : 'unable to parse or verify signature';
      return { ok: false, response: authError(c, 403, 'bad_jwt', `invalid JWT: ${why}`) };
    }
    const { sub, session_id: sessionId } = check.claims;
    if (typeof sub !== 'string') {
      return { ok: false, response: authError(c, 403, 'bad_jwt', 'invalid claim: missing sub claim') };
    }
    if (typeof sessionId === 'string' && !(await sessionExists(deps.db, sessionId))) {
      return {
        ok: false,
        response: authError(
          c,
          403,
          'session_not_found',
          'Session from session_id claim in JWT does not exist',
        ),
      };
    }
    const user = await findUserById(deps.db, sub);
    if (!user) {
      return {
        ok: false,
        response: authError(c, 403, 'user_not_found', 'User from sub claim in JWT does not exist'),
      };
    }
    return { ok: true, user, sessionId: typeof sessionId === 'string' ? sessionId : undefined };
  }

  return auth;
}

/**
 * GoTrue's error body: `{code, message}` with the `x-supabase-api-version` header when the
 * client asked for API version 2024-01-01, else the older `{code: status, error_code, msg}`.
 */
function authError(
  c: Context,
  status: 400 | 401 | 403 | 404 | 422,
  errorCode: string,
  message: string,
): Response {
  if (c.req.header('x-supabase-api-version') === API_VERSION) {
    c.header('x-supabase-api-version', API_VERSION);
    return c.json({ code: errorCode, message }, status);
  }
  return c.json({ code: status, error_code: errorCode, msg: message }, status);
}

async function readJson(request: Request): Promise<Record<string, unknown>> {
  try {
    const value: unknown = await request.json();
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
