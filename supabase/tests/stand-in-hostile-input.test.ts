import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './support/backends.ts';
import { type StandInFixture, startStandInOn } from './support/stand-in.ts';

/**
 * Hostile input answered as PostgREST and GoTrue answer it (issue 15, point 5). References:
 * PostgREST `src/library/PostgREST/Error.hs` and `Auth/Jwt.hs`; GoTrue (supabase/auth)
 * `internal/api/apierrors`. See packages/local-supabase/README.md, "Hostile input".
 */

const cdnConfig = {
  type: 'cloudflare',
  cloudflareUrl: 'https://marketplace.cartae.com',
  gitUrl: 'https://raw.githubusercontent.com/cartae/plugins/main',
};
/** The stand-in's bound on JSON nesting (MAX_JSON_DEPTH), restated: the test pins the number. */
const MAX_JSON_DEPTH = 512;
const INVALID_TOKEN_HEADER = /^Bearer error="invalid_token", error_description="[A-Za-z0-9 ';,]+"$/;

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An HS256 token with any header at all (jose refuses to sign an unknown `crit`). */
function handMadeToken(secret: string, header: Record<string, unknown>, claims: Record<string, unknown>) {
  const input = `${base64url(header)}.${base64url(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe.each(BACKENDS)('hostile input to the stand-in on %s', (backend) => {
  let f: StandInFixture;
  let adminToken: string;
  beforeAll(async () => {
    f = await startStandInOn(backend);
    await f.standIn.createUser({ email: 'admin@cartae.test', password: 'admin-password', admin: true });
    const { data, error } = await f
      .client()
      .auth.signInWithPassword({ email: 'admin@cartae.test', password: 'admin-password' });
    expect(error).toBeNull();
    adminToken = data.session?.access_token as string;
    // Functions of one unnamed parameter, which PostgREST calls with the whole body.
    await f.standIn.database.exec(`
      create function public.echo_text(text) returns text language sql immutable as $$ select $1 $$;
      create function public.echo_json(jsonb) returns jsonb language sql immutable as $$ select $1 $$;
      grant execute on function public.echo_text(text), public.echo_json(jsonb) to anon;`);
  });
  afterAll(async () => {
    await f?.close();
  });

  const rest = (fn: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${f.standIn.url}/rest/v1/rpc/${fn}`, {
      method: 'POST',
      ...init,
      headers: {
        apikey: f.standIn.anonKey,
        'content-type': 'application/json',
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.headers as Record<string, string>),
      },
    });
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(f.standIn.jwtSecret));
  const now = () => Math.floor(Date.now() / 1000);
  const configVersion = async () =>
    ((await f.client().rpc('get_marketplace_config')).data as { version: number }).version;

  describe('a JWT whose header carries attacker text', () => {
    it.each([
      ['CR LF', 'x\r\nX-Injected: yes'],
      ['a double quote', 'x", error_uri="https://evil.test'],
      ['a backslash and NUL', 'x\\"\u0000'],
    ])('%s in a crit name: 401 PGRST301, our own words in WWW-Authenticate', async (_, name) => {
      const token = handMadeToken(
        f.standIn.jwtSecret,
        { alg: 'HS256', typ: 'JWT', crit: [name] },
        { role: 'anon' },
      );
      const res = await rest('get_marketplace_config', { token });
      expect(res.status).toBe(401);
      expect(res.headers.get('x-injected')).toBeNull();
      const header = res.headers.get('www-authenticate') ?? '';
      expect(header).toMatch(INVALID_TOKEN_HEADER);
      expect(header).not.toContain('evil');
      const body = await res.json();
      expect(body).toMatchObject({ code: 'PGRST301', message: "JWT couldn't be decoded" });
      expect(JSON.stringify(body)).not.toMatch(/Injected|evil/);
    });

    it('a forged signature, a wrong algorithm and a token in two parts say so in fixed words', async () => {
      const forged = await new SignJWT({ role: 'service_role' })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode('not-the-project-secret-but-long-enough-to-sign'));
      const none = `${base64url({ alg: 'none' })}.${base64url({ role: 'service_role' })}.`;
      for (const [token, message] of [
        [forged, 'JWT cryptographic operation failed'],
        [none, 'Wrong or unsupported encoding algorithm'],
        ['abc.def', 'Expected 3 parts in JWT; got 2'],
      ] as const) {
        const res = await rest('get_marketplace_config', { token });
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ code: 'PGRST301', message });
        expect(res.headers.get('www-authenticate')).toBe(
          `Bearer error="invalid_token", error_description="${message}"`,
        );
      }
    });
  });

  describe('every 401 says WWW-Authenticate', () => {
    it('an anonymous permission error (42501): Bearer', async () => {
      const res = await rest('update_app_config', {
        body: JSON.stringify({ p_config_key: 'marketplace_source', p_config_value: cdnConfig }),
      });
      expect(res.status).toBe(401);
      expect((await res.json()).code).toBe('42501');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    });

    it('a role claim the API does not serve, and a malformed Authorization header: Bearer', async () => {
      const postgres = await rest('get_marketplace_config', { token: await sign({ role: 'postgres' }) });
      expect(postgres.status).toBe(401);
      expect(postgres.headers.get('www-authenticate')).toBe('Bearer');
      const basic = await rest('get_marketplace_config', { headers: { authorization: 'Basic YTpi' } });
      expect(basic.status).toBe(401);
      expect(basic.headers.get('www-authenticate')).toBe('Bearer');
    });

    it("a missing or unknown API key: the gateway's Key challenge, on REST and Auth", async () => {
      for (const path of ['/rest/v1/rpc/get_marketplace_config', '/auth/v1/user']) {
        const missing = await fetch(`${f.standIn.url}${path}`);
        expect(missing.status).toBe(401);
        expect(missing.headers.get('www-authenticate')).toBe('Key realm="kong"');
        const unknown = await fetch(`${f.standIn.url}${path}`, { headers: { apikey: 'nope' } });
        expect(unknown.status).toBe(401);
        expect(unknown.headers.get('www-authenticate')).toBe('Key realm="kong"');
      }
    });
  });

  describe('time claims, with PostgREST’s 30 s of clock skew', () => {
    it('nbf in the future: 401 PGRST303 "JWT not yet valid"', async () => {
      const res = await rest('get_marketplace_config', {
        token: await sign({ role: 'anon', nbf: now() + 3600 }),
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'PGRST303', message: 'JWT not yet valid' });
      expect(res.headers.get('www-authenticate')).toBe(
        'Bearer error="invalid_token", error_description="JWT not yet valid"',
      );
    });

    it('iat an hour ahead: 401 PGRST303 "JWT issued at future"', async () => {
      const res = await rest('get_marketplace_config', {
        token: await sign({ role: 'anon', iat: now() + 3600 }),
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'PGRST303', message: 'JWT issued at future' });
    });

    it('within the skew, nbf and iat a little ahead and exp a little behind are accepted', async () => {
      const token = await sign({ role: 'anon', nbf: now() + 10, iat: now() + 10, exp: now() - 10 });
      expect((await rest('get_marketplace_config', { token })).status).toBe(200);
    });

    it('a time claim that is not a number is refused by name', async () => {
      const res = await rest('get_marketplace_config', { token: await sign({ role: 'anon', exp: 'never' }) });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({
        code: 'PGRST303',
        message: "The JWT 'exp' claim must be a number",
      });
    });
  });

  describe('the body reaches SQL as sent: numbers keep their exact text', () => {
    it('p_expected_version 1e309 fails as PostgreSQL fails it, and nothing is written', async () => {
      const before = await configVersion();
      const res = await rest('update_app_config', {
        token: adminToken,
        body: `{"p_config_key":"marketplace_source","p_config_value":${JSON.stringify(cdnConfig)},"p_expected_version":1e309}`,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: '22P02', message: expect.stringContaining('1e309') });
      expect(await configVersion()).toBe(before);
    });

    it('cacheTtlSeconds 300.0000000000000001 reaches the validator with every digit and is refused', async () => {
      const before = await configVersion();
      const res = await rest('update_app_config', {
        token: adminToken,
        body: `{"p_config_key":"marketplace_source","p_config_value":${JSON.stringify(cdnConfig).slice(0, -1)},"cacheTtlSeconds":300.0000000000000001}}`,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        code: '22023',
        message: expect.stringContaining('cacheTtlSeconds'),
      });
      expect(await configVersion()).toBe(before);
    });

    it('a function of one unnamed jsonb parameter gets the whole body, digits intact', async () => {
      const res = await rest('echo_json', { body: '{"n": 300.0000000000000001, "big": 1e309}' });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('300.0000000000000001');
      expect(text).not.toContain('null');
    });
  });

  describe('Content-Type and method, as PostgREST takes them for rpc', () => {
    it('text/plain goes whole to a function of one unnamed text parameter', async () => {
      const body = 'héllo {"p_config_key": 1} \\ \' 🚀';
      const res = await rest('echo_text', { headers: { 'content-type': 'text/plain; charset=utf-8' }, body });
      expect(res.status).toBe(200);
      expect(await res.json()).toBe(body);
    });

    it('text/plain to a function with named parameters (or none) is 404 PGRST202, and runs nothing', async () => {
      for (const fn of ['get_marketplace_config', 'update_app_config']) {
        const res = await rest(fn, {
          token: adminToken,
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ p_config_key: 'marketplace_source', p_config_value: cdnConfig }),
        });
        expect(res.status).toBe(404);
        expect(await res.json()).toEqual({
          code: 'PGRST202',
          message: `Could not find the function public.${fn} in the schema cache`,
          details: `Searched for the function public.${fn} with a single unnamed text parameter, but no matches were found in the schema cache.`,
          hint: null,
        });
      }
    });

    it('a NUL in a text/plain body is refused as PostgreSQL refuses it', async () => {
      const res = await rest('echo_text', { headers: { 'content-type': 'text/plain' }, body: 'a\u0000b' });
      expect(res.status).toBe(400);
      expect((await res.json()).code).toBe('22021');
    });

    it.each(['PUT', 'PATCH', 'DELETE'])('%s on rpc is 405 PGRST101', async (method) => {
      const res = await rest('get_marketplace_config', { method, body: '{}' });
      expect(res.status).toBe(405);
      expect(await res.json()).toEqual({
        code: 'PGRST101',
        message: `Cannot use the ${method} method on RPC`,
        details: null,
        hint: null,
      });
    });
  });

  describe('NUL in Auth fields: 400 in GoTrue’s shape, never a 500', () => {
    const auth = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${f.standIn.url}/auth/v1${path}`, {
        method: 'POST',
        headers: { apikey: f.standIn.anonKey, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });

    it('sign-in with a NUL in the email or password: invalid_credentials', async () => {
      for (const body of [
        { email: 'admin\u0000@cartae.test', password: 'admin-password' },
        { email: 'admin@cartae.test', password: 'admin\u0000password' },
      ]) {
        const res = await auth('/token?grant_type=password', body);
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({
          code: 400,
          error_code: 'invalid_credentials',
          msg: 'Invalid login credentials',
        });
      }
      const versioned = await auth(
        '/token?grant_type=password',
        { email: 'admin\u0000@cartae.test', password: 'x' },
        { 'x-supabase-api-version': '2024-01-01' },
      );
      expect(await versioned.json()).toEqual({
        code: 'invalid_credentials',
        message: 'Invalid login credentials',
      });
    });

    it('a refresh token with a NUL: refresh_token_not_found', async () => {
      const res = await auth('/token?grant_type=refresh_token', { refresh_token: 'abc\u0000' });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error_code: 'refresh_token_not_found' });
    });

    it('the admin API with a NUL in the email, password or metadata: validation_failed', async () => {
      for (const body of [
        { email: 'ne\u0000w@cartae.test', password: 'new-password' },
        { email: 'new@cartae.test', password: 'new\u0000password' },
        { email: 'new@cartae.test', password: 'new-password', user_metadata: { name: 'a\u0000b' } },
      ]) {
        const res = await auth('/admin/users', body, { authorization: `Bearer ${f.standIn.serviceRoleKey}` });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ code: 400, error_code: 'validation_failed' });
      }
    });
  });

  // Last: before the fix, 10,000 levels left PGlite unable to answer any later query.
  describe('JSON nesting is bounded before SQL and before any recursive JavaScript', () => {
    it('10,000 levels deep: 400 PGRST102, and the stand-in keeps answering', async () => {
      for (let round = 0; round < 2; round++) {
        const res = await rest('update_app_config', {
          token: adminToken,
          body: `{"p_config_key":"marketplace_source","p_config_value":${nested(10_000)}}`,
        });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ code: 'PGRST102' });
      }
      expect((await f.client().rpc('get_marketplace_config')).error).toBeNull();
    });

    it('exactly at the bound the body reaches SQL, whose validator refuses the depth', async () => {
      const res = await rest('update_app_config', {
        token: adminToken,
        body: `{"p_config_key":"marketplace_source","p_config_value":${nested(MAX_JSON_DEPTH - 1)}}`,
      });
      expect(res.status).toBe(400);
      expect((await res.json()).code).toBe('22023');
      const over = await rest('update_app_config', {
        token: adminToken,
        body: `{"p_config_key":"marketplace_source","p_config_value":${nested(MAX_JSON_DEPTH)}}`,
      });
      expect(over.status).toBe(400);
      expect((await over.json()).code).toBe('PGRST102');
    });

    it('Auth bodies too: 400 bad_json in GoTrue’s shape', async () => {
      const res = await fetch(`${f.standIn.url}/auth/v1/token?grant_type=password`, {
        method: 'POST',
        headers: { apikey: f.standIn.anonKey, 'content-type': 'application/json' },
        body: `{"email":"admin@cartae.test","password":"admin-password","x":${nested(10_000)}}`,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 400, error_code: 'bad_json' });
    });
  });
});
