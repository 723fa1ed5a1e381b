import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MARKETPLACE_CONFIG } from '../../packages/marketplace-core/src/index.ts';
import { BACKENDS } from './support/backends.ts';
import { type StandInFixture, startStandInOn } from './support/stand-in.ts';

const cdnConfig = {
  type: 'cloudflare',
  cloudflareUrl: 'https://marketplace.cartae.com',
  gitUrl: 'https://raw.githubusercontent.com/cartae/plugins/main',
};

describe.each(BACKENDS)('supabase-js against the stand-in on %s', (backend) => {
  let f: StandInFixture;
  beforeAll(async () => {
    f = await startStandInOn(backend);
    await f.standIn.createUser({
      email: 'admin@cartae.test',
      password: 'admin-password',
      displayName: 'Ada',
      admin: true,
    });
    await f.standIn.createUser({ email: 'user@cartae.test', password: 'user-password' });
  });
  afterAll(async () => {
    await f?.close();
  });

  async function signedIn(email: string, password: string) {
    const client = f.client();
    const { data, error } = await client.auth.signInWithPassword({ email, password });
    expect(error).toBeNull();
    return { client, session: data.session as NonNullable<typeof data.session> };
  }

  it('anon reads the config with rpc, by POST and by GET', async () => {
    const anon = f.client();
    const post = await anon.rpc('get_marketplace_config');
    expect(post.error).toBeNull();
    expect(post.data).toMatchObject({ config_value: { type: 'git' }, version: expect.any(Number) });
    const get = await anon.rpc('get_marketplace_config', {}, { get: true });
    expect(get.data).toEqual(post.data);
  });

  it('an admin signs in and updates; the history names them', async () => {
    const { client, session } = await signedIn('admin@cartae.test', 'admin-password');
    expect(session.user.email).toBe('admin@cartae.test');
    const before = await client.rpc('get_marketplace_config');
    const updated = await client.rpc('update_app_config', {
      p_config_key: 'marketplace_source',
      p_config_value: cdnConfig,
      p_reason: 'GitHub rate limit',
      p_expected_version: (before.data as { version: number }).version,
    });
    expect(updated.error).toBeNull();
    expect(updated.data).toMatchObject({ version: (before.data as { version: number }).version + 1 });
    const history = await client.rpc('get_app_config_history', {
      p_config_key: 'marketplace_source',
      p_limit: 1,
    });
    expect(history.error).toBeNull();
    expect(history.data).toEqual([
      expect.objectContaining({
        changed_by: session.user.id,
        changed_by_email: 'admin@cartae.test',
        changed_by_name: 'Ada',
        reason: 'GitHub rate limit',
        origin: 'admin',
      }),
    ]);
    const anonRead = await f.client().rpc('get_marketplace_config');
    expect(anonRead.data).toMatchObject({ config_value: { type: 'cloudflare' } });
  });

  it('arguments reach the function byte for byte, whatever quotes, backslashes or escapes they hold', async () => {
    const { client } = await signedIn('admin@cartae.test', 'admin-password');
    const hostile = `'); delete from public.app_config; -- \\' \\x41 \\u0041 $$ $tag$ E'\\'' é 🚀`;
    const updated = await client.rpc('update_app_config', {
      p_config_key: 'marketplace_source',
      p_config_value: { ...cdnConfig, note: hostile },
      p_reason: hostile,
    });
    expect(updated.error).toBeNull();
    const history = await client.rpc('get_app_config_history', {
      p_config_key: 'marketplace_source',
      p_limit: 1,
    });
    const [latest] = history.data as { reason: string; new_value: { note: string } }[];
    expect(latest?.reason).toBe(hostile);
    expect(latest?.new_value.note).toBe(hostile);
    expect((await f.client().rpc('get_marketplace_config')).data).toMatchObject({
      config_value: { note: hostile },
    });
  });

  it('a signed-in non-admin gets a PostgREST-shaped 403 and nothing changes', async () => {
    const before = await f.client().rpc('get_marketplace_config');
    const { client } = await signedIn('user@cartae.test', 'user-password');
    const attempt = await client.rpc('update_app_config', {
      p_config_key: 'marketplace_source',
      p_config_value: DEFAULT_MARKETPLACE_CONFIG,
    });
    expect(attempt.status).toBe(403);
    expect(attempt.error).toMatchObject({
      code: '42501',
      message: 'only marketplace admins may do this',
      hint: expect.stringContaining('marketplace_admins'),
    });
    expect((await f.client().rpc('get_marketplace_config')).data).toEqual(before.data);
  });

  it('anon may not update: 401, as PostgREST answers an anonymous permission error', async () => {
    const attempt = await f.client().rpc('update_app_config', {
      p_config_key: 'marketplace_source',
      p_config_value: DEFAULT_MARKETPLACE_CONFIG,
    });
    expect(attempt.status).toBe(401);
    expect(attempt.error?.code).toBe('42501');
  });

  it('an invalid document is a 400 with the validator message; a stale version is a 409', async () => {
    const { client } = await signedIn('admin@cartae.test', 'admin-password');
    const invalid = await client.rpc('update_app_config', {
      p_config_key: 'marketplace_source',
      p_config_value: { type: 'cloudflare', cloudflareUrl: 'javascript:alert(1)' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.error?.code).toBe('22023');
    expect(invalid.error?.message).toMatch(/cloudflareUrl/);
    const stale = await client.rpc('update_app_config', {
      p_config_key: 'marketplace_source',
      p_config_value: cdnConfig,
      p_expected_version: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.error?.code).toBe('PT409');
  });

  it('an expired or forged JWT is a 401 and runs nothing', async () => {
    const secret = new TextEncoder().encode(f.standIn.jwtSecret);
    const expired = await new SignJWT({ role: 'service_role' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(1_700_000_000)
      .setExpirationTime(1_700_000_060)
      .sign(secret);
    const expiredCall = await f.client({ accessToken: expired }).rpc('get_marketplace_config');
    expect(expiredCall.status).toBe(401);
    expect(expiredCall.error).toMatchObject({ code: 'PGRST303', message: 'JWT expired' });

    const forged = await new SignJWT({ role: 'service_role' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('not-the-project-secret-but-long-enough-to-sign'));
    const forgedCall = await f.client({ accessToken: forged }).rpc('add_marketplace_admin', {
      p_user_id: '00000000-0000-0000-0000-000000000001',
      p_email: 'mallory@evil.test',
    });
    expect(forgedCall.status).toBe(401);
    expect(forgedCall.error?.code).toBe('PGRST301');

    const unknownRole = await new SignJWT({ role: 'postgres' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(secret);
    expect((await f.client({ accessToken: unknownRole }).rpc('get_marketplace_config')).status).toBe(401);
  });

  it('a wrong API key is refused by the gateway before anything runs', async () => {
    const call = await f.client({ key: 'not-a-key' }).rpc('get_marketplace_config');
    expect(call.status).toBe(401);
    expect(call.error?.message).toBe('Invalid API key');
  });

  it('wrong passwords, refresh rotation, getUser and sign-out behave as GoTrue does', async () => {
    const wrong = await f.client().auth.signInWithPassword({ email: 'admin@cartae.test', password: 'nope' });
    expect(wrong.error).toMatchObject({
      status: 400,
      code: 'invalid_credentials',
      message: 'Invalid login credentials',
    });

    const { client, session } = await signedIn('admin@cartae.test', 'admin-password');
    const user = await client.auth.getUser();
    expect(user.data.user).toMatchObject({
      id: session.user.id,
      email: 'admin@cartae.test',
      role: 'authenticated',
    });

    const refreshed = await client.auth.refreshSession();
    expect(refreshed.error).toBeNull();
    expect(refreshed.data.session?.refresh_token).not.toBe(session.refresh_token);
    const reused = await f.client().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(reused.error).toMatchObject({ status: 400, code: 'refresh_token_already_used' });

    const token = refreshed.data.session?.access_token as string;
    expect((await client.rpc('is_marketplace_admin')).data).toBe(true);
    expect((await client.auth.signOut()).error).toBeNull();
    const afterSignOut = await f.client().auth.getUser(token);
    expect(afterSignOut.error?.name).toBe('AuthSessionMissingError');
  });

  it('the Auth admin API creates users for the service role only', async () => {
    const service = f.client({ key: f.standIn.serviceRoleKey });
    const created = await service.auth.admin.createUser({
      email: 'new@cartae.test',
      password: 'new-password',
      email_confirm: true,
    });
    expect(created.data.user?.email).toBe('new@cartae.test');
    const again = await service.auth.admin.createUser({ email: 'new@cartae.test', password: 'x-password' });
    expect(again.error).toMatchObject({ status: 422, code: 'email_exists' });
    const asAnon = await f
      .client()
      .auth.admin.createUser({ email: 'other@cartae.test', password: 'other-password' });
    expect(asAnon.error).toMatchObject({ status: 403, code: 'not_admin' });
  });
});

describe.each(BACKENDS)('HTTP edges of the stand-in on %s', (backend) => {
  let f: StandInFixture;
  beforeAll(async () => {
    f = await startStandInOn(backend);
  });
  afterAll(async () => {
    await f?.close();
  });
  const rpc = (fn: string, init: RequestInit = {}, key = f.standIn.anonKey) =>
    fetch(`${f.standIn.url}/rest/v1/rpc/${fn}`, {
      ...init,
      headers: {
        apikey: key,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string>),
      },
    });

  it('answers CORS preflights for browsers', async () => {
    const res = await fetch(`${f.standIn.url}/rest/v1/rpc/get_marketplace_config`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://admin.cartae.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'apikey, authorization, content-type, x-client-info',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/apikey/);
    const get = await rpc('get_marketplace_config', { headers: { origin: 'https://admin.cartae.com' } });
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('an unknown function or argument is a 404 with a hint, as PostgREST says it', async () => {
    const unknown = await rpc('drop_everything', { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'PGRST202' });
    const badArg = await rpc('get_app_config_history', { method: 'POST', body: '{"p_nope":1}' });
    expect(badArg.status).toBe(404);
    expect(await badArg.json()).toMatchObject({
      code: 'PGRST202',
      hint: expect.stringContaining('p_config_key'),
    });
  });

  it('malformed JSON is a 400, an oversize body a 413, another method a 405', async () => {
    const malformed = await rpc('get_marketplace_config', { method: 'POST', body: '{"a":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'PGRST102' });
    const array = await rpc('get_marketplace_config', { method: 'POST', body: '[1,2]' });
    expect(array.status).toBe(400);
    const huge = await rpc('get_marketplace_config', {
      method: 'POST',
      body: JSON.stringify({ p: 'x'.repeat(1_100_000) }),
    });
    expect(huge.status).toBe(413);
    const put = await rpc('get_marketplace_config', { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
  });

  it('a GET runs read-only: a writing function called by GET is a 405 and writes nothing', async () => {
    // A real user: add_marketplace_admin refuses an unknown id (PT404) before it would write.
    const someone = await f.standIn.createUser({
      email: 'read-only@cartae.test',
      password: 'read-only-password',
    });
    const res = await rpc(
      `add_marketplace_admin?p_user_id=${someone.id}&p_email=x@cartae.test`,
      { method: 'GET', headers: { authorization: `Bearer ${f.standIn.serviceRoleKey}` } },
      f.standIn.serviceRoleKey,
    );
    expect(res.status).toBe(405);
    expect(await res.json()).toMatchObject({ code: '25006' });
    const { rows } = await f.standIn.database.query(
      'select count(*)::int as n from public.marketplace_admins',
    );
    expect(rows[0]).toEqual({ n: 0 });
  });

  it("no apikey at all is refused as Supabase's gateway refuses it", async () => {
    const res = await fetch(`${f.standIn.url}/rest/v1/rpc/get_marketplace_config`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message: 'No API key found in request' });
  });
});
