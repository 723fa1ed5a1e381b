import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/local-supabase/src/index.ts';
import { asRole, BACKENDS, createUser, openBackend, type Role } from './support/backends.ts';
import { type StandInFixture, startStandInOn } from './support/stand-in.ts';
import { outcome } from './support/usage-rows.ts';

const GIT = 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json';
const CDN = 'https://marketplace.cartae.com';
const base = { type: 'git', priority: ['git'], gitUrl: GIT, cloudflareUrl: CDN };

interface HostRow {
  host: string;
  added_by_email: string | null;
  note: string | null;
  in_use: boolean;
}

describe.each(BACKENDS)('the list of source hosts on %s', (backend) => {
  let db: Database;
  let close: () => Promise<void>;
  let adminId: string;
  let userId: string;

  beforeAll(async () => {
    ({ db, close } = await openBackend(backend));
    adminId = await createUser(db, 'ada@cartae.dev', 'Ada Admin');
    userId = await createUser(db, 'bob@cartae.dev', 'Bob User');
    await asRole(db, 'service_role', undefined, (tx) =>
      tx.query('select public.add_marketplace_admin($1)', [adminId]),
    );
    await save(base);
  });
  afterAll(async () => {
    await close();
  });

  async function save(doc: unknown) {
    await asRole(db, 'authenticated', adminId, (tx) =>
      tx.query('select public.update_app_config($1, $2, $3)', [
        'marketplace_source',
        JSON.stringify(doc),
        'test',
      ]),
    );
  }
  const config = async () => {
    const { rows } = await db.query<{ config_value: unknown; version: string }>(
      `select config_value, version from app_config where config_key = 'marketplace_source'`,
    );
    return { doc: rows[0]!.config_value, version: Number(rows[0]!.version) };
  };
  const hosts = async (role: Role = 'authenticated', sub: string | undefined = adminId) => {
    const { rows } = await asRole(db, role, sub, (tx) =>
      tx.query<HostRow>('select * from public.get_source_hosts()'),
    );
    return rows;
  };
  const add = async (
    host: string,
    note?: string,
    role: Role = 'authenticated',
    sub: string | undefined = adminId,
  ) => {
    const { rows } = await asRole(db, role, sub, (tx) =>
      tx.query<{ r: boolean }>('select public.add_source_host($1, $2) as r', [host, note ?? null]),
    );
    return rows[0]!.r;
  };
  const remove = async (host: string, role: Role = 'authenticated', sub: string | undefined = adminId) => {
    const { rows } = await asRole(db, role, sub, (tx) =>
      tx.query<{ r: boolean }>('select public.remove_source_host($1) as r', [host]),
    );
    return rows[0]!.r;
  };
  const feed = async () =>
    (
      await db.query<{ text: string }>(
        `select text from public.fleet_alerts where event = 'settings-changed' order by id`,
      )
    ).rows.map((r) => r.text);

  it('starts with the shipped hosts (and loopback where local development allows it), marking those in use', async () => {
    const list = await hosts();
    expect(list.map((h) => h.host)).toEqual(
      expect.arrayContaining([
        'raw.githubusercontent.com',
        'marketplace.cartae.com',
        '127.0.0.1',
        'localhost',
      ]),
    );
    expect(list.find((h) => h.host === 'raw.githubusercontent.com')?.in_use).toBe(true);
  });

  it.each([
    [
      'a host off the list',
      { ...base, cloudflareUrl: 'https://cdn.evil.example' },
      'cloudflareUrl host "cdn.evil.example"',
    ],
    [
      'a look-alike (capital I for l)',
      { ...base, cloudflareUrl: 'https://marketpIace.cartae.com' },
      'cloudflareUrl host "marketpiace.cartae.com"',
    ],
    [
      'a trailing dot',
      { ...base, cloudflareUrl: 'https://marketplace.cartae.com./' },
      'cloudflareUrl host "marketplace.cartae.com."',
    ],
    [
      'punycode',
      { ...base, gitUrl: 'https://xn--marketplace-cartae-com.example/r.json' },
      'gitUrl host "xn--marketplace-cartae-com.example"',
    ],
    [
      'a subdomain of a listed host',
      { ...base, cloudflareUrl: 'https://eu.marketplace.cartae.com' },
      'cloudflareUrl host "eu.marketplace.cartae.com"',
    ],
  ])('refuses a config naming %s (22023), nothing changed', async (_name, doc, named) => {
    const before = await config();
    await expect(save(doc)).rejects.toMatchObject({
      code: '22023',
      message: `invalid marketplace_source: ${named} is not on the control plane's list of source hosts (an admin adds it first)`,
    });
    expect(await config()).toEqual(before);
  });

  it('a rollback to content naming a host since removed is refused too', async () => {
    expect(await add('old-cdn.cartae.com')).toBe(true);
    await save({ ...base, cloudflareUrl: 'https://old-cdn.cartae.com' });
    await save(base);
    const { rows } = await db.query<{ id: string }>(
      `select id from app_config_history where new_value ->> 'cloudflareUrl' = 'https://old-cdn.cartae.com' order by id desc limit 1`,
    );
    expect(await remove('old-cdn.cartae.com')).toBe(true);
    const before = await config();
    await expect(
      asRole(db, 'authenticated', adminId, (tx) =>
        tx.query('select public.rollback_app_config($1)', [rows[0]!.id]),
      ),
    ).rejects.toMatchObject({
      code: '22023',
      message: expect.stringContaining('cloudflareUrl host "old-cdn.cartae.com"'),
    });
    expect(await config()).toEqual(before);
  });

  it('adding a host is its own audited action; then a config may name it', async () => {
    const before = (await feed()).length;
    expect(await add('  CDN2.Cartae.com ', 'second CDN')).toBe(true);
    expect(await add('cdn2.cartae.com')).toBe(false); // already there: nothing written
    expect((await feed()).slice(before)).toEqual([
      'ada@cartae.dev added the source host cdn2.cartae.com (second CDN)',
    ]);
    await save({ ...base, cloudflareUrl: 'https://cdn2.cartae.com' });
    expect((await hosts()).find((h) => h.host === 'cdn2.cartae.com')).toMatchObject({
      added_by_email: 'ada@cartae.dev',
      note: 'second CDN',
      in_use: true,
    });
  });

  it('a host the current config uses cannot be removed (PT409); once unused it can, audited', async () => {
    await save({ ...base, cloudflareUrl: 'https://cdn2.cartae.com' });
    await expect(remove('cdn2.cartae.com')).rejects.toMatchObject({
      code: 'PT409',
      message:
        "the current config's cloudflareUrl uses cdn2.cartae.com; point it elsewhere before removing the host",
    });
    await save(base);
    const before = (await feed()).length;
    expect(await remove('cdn2.cartae.com')).toBe(true);
    expect(await remove('cdn2.cartae.com')).toBe(false);
    expect((await feed()).slice(before)).toEqual(['ada@cartae.dev removed the source host cdn2.cartae.com']);
  });

  it.each([
    ['', 'invalid source host: a host name is required'],
    [
      'https://cdn.example.com',
      'invalid source host: give the host name alone, without a scheme, port or path',
    ],
    ['cdn.example.com:8443', 'invalid source host: give the host name alone'],
    ['*.cartae.com', 'invalid source host: "*.cartae.com" is not a host name'],
    ['café.example', 'invalid source host: "café.example" is not a host name'],
    ['-bad.example', 'invalid source host: "-bad.example" is not a host name'],
  ])('refuses to add %j (22023)', async (host, message) => {
    await expect(add(host)).rejects.toMatchObject({
      code: '22023',
      message: expect.stringContaining(message),
    });
  });

  it.each([
    ['anon', 'anon', undefined],
    ['a signed-in user who is not an admin', 'authenticated', 'user'],
  ] as const)('%s may neither read nor change the list (42501)', async (_n, role, who) => {
    const sub = who === 'user' ? userId : undefined;
    expect(await outcome(hosts(role, sub))).toBe('42501');
    expect(await outcome(add('x.example.com', undefined, role, sub))).toBe('42501');
    expect(await outcome(remove('marketplace.cartae.com', role, sub))).toBe('42501');
    expect((await hosts()).some((h) => h.host === 'x.example.com')).toBe(false);
  });
});

describe.each(BACKENDS)('the list of source hosts through supabase-js and the stand-in on %s', (backend) => {
  let f: StandInFixture;
  beforeAll(async () => {
    f = await startStandInOn(backend);
    await f.standIn.createUser({ email: 'plain@cartae.test', password: 'plain-password' });
  });
  afterAll(async () => {
    await f?.close();
  });

  it('anon gets 401 and a signed-in user who is not an admin 403, from every allowlist function', async () => {
    const plain = f.client();
    const { error } = await plain.auth.signInWithPassword({
      email: 'plain@cartae.test',
      password: 'plain-password',
    });
    expect(error).toBeNull();
    for (const [fn, args] of [
      ['get_source_hosts', {}],
      ['add_source_host', { p_host: 'evil.example' }],
      ['remove_source_host', { p_host: 'marketplace.cartae.com' }],
    ] as const) {
      expect((await f.client().rpc(fn, args)).status, `anon ${fn}`).toBe(401);
      expect((await plain.rpc(fn, args)).status, `user ${fn}`).toBe(403);
    }
  });
});
