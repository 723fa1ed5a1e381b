import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/local-supabase/src/index.ts';
import { asRole, BACKENDS, createUser, openBackend, type Role } from './support/backends.ts';
import { outcome } from './support/usage-rows.ts';

describe.each(BACKENDS)('admins by email on %s', (backend) => {
  let db: Database;
  let close: () => Promise<void>;
  let adaId: string;
  let bobId: string;

  beforeAll(async () => {
    ({ db, close } = await openBackend(backend));
    adaId = await createUser(db, 'ada@cartae.dev', 'Ada Admin');
    bobId = await createUser(db, 'Bob@Cartae.dev', 'Bob User');
    await asRole(db, 'service_role', undefined, (tx) =>
      tx.query('select public.add_marketplace_admin($1)', [adaId]),
    );
  });
  afterAll(async () => {
    await close();
  });

  const as = <T>(
    sql: string,
    args: unknown[],
    role: Role = 'authenticated',
    sub: string | undefined = adaId,
  ) => asRole(db, role, sub, (tx) => tx.query<T>(sql, args));
  const list = async () =>
    (await as<{ email: string }>('select * from public.list_marketplace_admins()', [])).rows.map(
      (r) => r.email,
    );

  it('lists the admins, by email', async () => {
    expect(await list()).toEqual(['ada@cartae.dev']);
  });

  it('adds the user who signed up with an email, whatever its case', async () => {
    const { rows } = await as<{ user_id: string; email: string; display_name: string }>(
      'select * from public.add_marketplace_admin_by_email($1)',
      ['  bob@cartae.DEV '],
    );
    expect(rows[0]).toMatchObject({ user_id: bobId, email: 'Bob@Cartae.dev', display_name: 'Bob User' });
    expect(await list()).toEqual(['ada@cartae.dev', 'Bob@Cartae.dev']);
  });

  it('refuses an email nobody signed up with (PT404), and an id that is no user: no phantom admin', async () => {
    await expect(
      as('select public.add_marketplace_admin_by_email($1)', ['eve@cartae.dev']),
    ).rejects.toMatchObject({
      code: 'PT404',
      message: 'nobody has signed up with the email eve@cartae.dev',
    });
    await expect(
      as('select public.add_marketplace_admin($1, $2)', [
        '7f3c0000-0000-4000-8000-000000000000',
        'ghost@cartae.dev',
      ]),
    ).rejects.toMatchObject({ code: 'PT404' });
    expect(await list()).not.toContain('ghost@cartae.dev');
  });

  it.each([
    ['anon', 'anon', undefined],
    ['a signed-in user who is not an admin', 'authenticated', 'carol'],
  ] as const)('%s may neither list nor add (42501)', async (_n, role, who) => {
    const carol = who ? await createUser(db, `carol-${Date.now()}@cartae.dev`) : undefined;
    expect(await outcome(as('select * from public.list_marketplace_admins()', [], role, carol))).toBe(
      '42501',
    );
    expect(
      await outcome(as('select public.add_marketplace_admin_by_email($1)', ['ada@cartae.dev'], role, carol)),
    ).toBe('42501');
  });
});
