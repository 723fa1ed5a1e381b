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
import { holdsNul, readGoTrueBody } from './gotrue-body.ts';
import { goTrueError as authError } from './gotrue-error.ts';
import type { JwtKeys } from './jwt-keys.ts';
import { wwwAuthenticate } from './www-authenticate.ts';

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
    if (!gateway) return next();
    c.header('WWW-Authenticate', wwwAuthenticate({ kind: 'api-key' }));
    return c.json(gateway, 401);
  });

  auth.get('/health', (c) =>
    c.json({ version: 'local-stand-in', name: 'GoTrue', description: 'Local Auth stand-in' }),
  );

  auth.post('/token', async (c) => {
    const grantType = c.req.query('grant_type');
    if (grantType !== 'password' && grantType !== 'refresh_token') {
      return authError(
        c,
        400,
        'unsupported_grant_type',
        'unsupported_grant_type: use password or refresh_token',
      );
    }
    const read = await readGoTrueBody(c.req.raw);
    if (!read.ok) return authError(c, 400, 'bad_json', read.message);
    const body = read.body;
    if (grantType === 'password') {
      const email = typeof body.email === 'string' ? body.email : '';
      const password = typeof body.password === 'string' ? body.password : '';
      if (!email || !password) return authError(c, 400, 'validation_failed', 'missing email or password');
      // PostgreSQL cannot store a NUL, so no account has one in its email or password. (GoTrue
      // would send such an email to the database and answer its error as a 500.)
      if (holdsNul(email) || holdsNul(password)) {
        return authError(c, 400, 'invalid_credentials', 'Invalid login credentials');
      }
      const user = await findUserByPassword(deps.db, email, password);
      if (!user) return authError(c, 400, 'invalid_credentials', 'Invalid login credentials');
      const session = await openSession(deps.db, user.id);
      return c.json(await sessionResponse(user, session.sessionId, session.refreshToken));
    }
    if (grantType === 'refresh_token') {
      const token = typeof body.refresh_token === 'string' ? body.refresh_token : '';
      if (!token) return authError(c, 400, 'validation_failed', 'refresh_token is required');
      if (holdsNul(token)) {
        return authError(c, 400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
      }
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
    const read = await readGoTrueBody(c.req.raw);
    if (!read.ok) return authError(c, 400, 'bad_json', read.message);
    const body = read.body;
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    // GoTrue's checkmail format check refuses control characters, NUL among them.
    if (!/^[^@\s\0]+@[^@\s\0]+$/.test(email))
      return authError(c, 400, 'validation_failed', 'Unable to validate email address: invalid format');
    if (password.length < 6)
      return authError(c, 422, 'weak_password', 'Password should be at least 6 characters.');
    const metadata =
      body.user_metadata !== null && typeof body.user_metadata === 'object' ? body.user_metadata : {};
    // pgcrypto hashes the password and jsonb holds the metadata: neither can take a NUL.
    if (holdsNul(password)) {
      return authError(c, 400, 'validation_failed', 'The password must not contain NUL characters');
    }
    if (holdsNul(metadata)) {
      return authError(c, 400, 'validation_failed', 'user_metadata must not contain NUL characters');
    }
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

  // GoTrue's answer to anything unexpected (`apierrors.NewInternalServerError`): its own shape.
  auth.onError((error, c) => {
    console.error('local-supabase: unexpected error in Auth', error);
    return authError(c, 500, 'unexpected_failure', 'Unexpected failure in the local Auth stand-in');
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
      const why =
        check.message === 'JWT expired' ? 'token is expired' : 'unable to parse or verify signature';
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
