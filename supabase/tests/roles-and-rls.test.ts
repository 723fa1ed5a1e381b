import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/local-supabase/src/index.ts';
import { asRole, BACKENDS, createUser, openBackend } from './support/backends.ts';

const GIT = 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json';
const CDN = 'https://marketplace.cartae.com';
const cdnDoc = { type: 'cloudflare', priority: ['cloudflare'], cloudflareUrl: CDN, gitUrl: GIT };

/** The SQLSTATE of a failed call, or 'ok'. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe.each(BACKENDS)('control plane on %s', (backend) => {
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
  });
  afterAll(async () => {
    await close();
  });

  const update = (
    role: 'anon' | 'authenticated' | 'service_role',
    sub: string | undefined,
    doc: unknown,
    expected?: number,
  ) =>
    asRole(db, role, sub, (tx) =>
      tx.query<{ r: { version: number } }>('select public.update_app_config($1, $2, $3, $4) as r', [
        'marketplace_source',
        JSON.stringify(doc),
        'test',
        expected ?? null,
      ]),
    );
  const currentVersion = async () =>
    Number(
      (
        await db.query<{ version: string }>(
          `select version from app_config where config_key = 'marketplace_source'`,
        )
      ).rows[0]?.version,
    );

  it('everyone reads the config, starting from the Git default', async () => {
    for (const [role, sub] of [
      ['anon', undefined],
      ['authenticated', userId],
      ['authenticated', adminId],
      ['service_role', undefined],
    ] as const) {
      const { rows } = await asRole(db, role, sub, (tx) =>
        tx.query<{ c: { config_value: { type: string }; version: number } }>(
          'select public.get_marketplace_config() as c',
        ),
      );
      expect(rows[0]?.c.config_value.type).toBeDefined();
    }
    const { rows } = await asRole(db, 'anon', undefined, (tx) =>
      tx.query<{ config_key: string }>('select config_key from app_config'),
    );
    expect(rows.map((r) => r.config_key)).toEqual(['marketplace_source']);
  });

  it('only admins (and the service role) may update; anon and plain users get 42501', async () => {
    expect(await outcome(update('anon', undefined, cdnDoc))).toBe('42501');
    expect(await outcome(update('authenticated', userId, cdnDoc))).toBe('42501');
    const before = await currentVersion();
    expect(await outcome(update('authenticated', adminId, cdnDoc))).toBe('ok');
    expect(await currentVersion()).toBe(before + 1);
    expect(await outcome(update('service_role', undefined, { ...cdnDoc, canaryPercent: 50 }))).toBe('ok');
  });

  it('history records who (id, email, name), when, old and new value, reason and origin', async () => {
    await update('authenticated', adminId, { ...cdnDoc, cacheTtlSeconds: 60 });
    const { rows } = await asRole(db, 'authenticated', adminId, (tx) =>
      tx.query<Record<string, unknown>>(
        `select * from public.get_app_config_history('marketplace_source', 1, null)`,
      ),
    );
    expect(rows[0]).toMatchObject({
      changed_by: adminId,
      changed_by_email: 'ada@cartae.dev',
      changed_by_name: 'Ada Admin',
      reason: 'test',
      origin: 'admin',
      new_value: { ...cdnDoc, cacheTtlSeconds: 60 },
    });
    expect(rows[0]?.old_value).toBeTruthy();
    const first = await db.query<{ origin: string; version: string }>(
      `select origin, version from app_config_history order by id limit 1`,
    );
    expect(first.rows[0]).toMatchObject({ origin: 'migration' });
  });

  it('history and admins are readable by admins only', async () => {
    expect(
      await outcome(
        asRole(db, 'authenticated', userId, (tx) =>
          tx.query(`select * from public.get_app_config_history()`),
        ),
      ),
    ).toBe('42501');
    expect(
      await outcome(
        asRole(db, 'anon', undefined, (tx) => tx.query(`select * from public.get_app_config_history()`)),
      ),
    ).toBe('42501');
    const asUser = await asRole(db, 'authenticated', userId, (tx) =>
      tx.query('select * from app_config_history'),
    );
    expect(asUser.rows).toEqual([]);
    const admins = await asRole(db, 'authenticated', userId, (tx) =>
      tx.query('select * from marketplace_admins'),
    );
    expect(admins.rows).toEqual([]);
    const asAdmin = await asRole(db, 'authenticated', adminId, (tx) =>
      tx.query('select * from marketplace_admins'),
    );
    expect(asAdmin.rows).toHaveLength(1);
    expect(
      await outcome(asRole(db, 'anon', undefined, (tx) => tx.query('select * from app_config_history'))),
    ).toBe('42501');
  });

  it.each(['anon', 'authenticated', 'service_role'] as const)(
    '%s cannot write any table directly',
    async (role) => {
      const sub = role === 'authenticated' ? adminId : undefined;
      const statements = [
        `insert into app_config (config_key, config_value) values ('x', '{}')`,
        `update app_config set config_value = '{"type":"git"}', updated_by = '${userId}'`,
        `delete from app_config`,
        `insert into app_config_history (config_key, version, new_value, origin) values ('x', 1, '{}', 'admin')`,
        `update app_config_history set reason = 'edited'`,
        `delete from app_config_history`,
        `insert into marketplace_admins (user_id, email) values ('${userId}', 'bob@cartae.dev')`,
        `update marketplace_admins set email = 'x'`,
        `delete from marketplace_admins`,
      ];
      for (const sql of statements) {
        expect(`${sql} → ${await outcome(asRole(db, role, sub, (tx) => tx.query(sql)))}`).toBe(
          `${sql} → 42501`,
        );
      }
    },
  );

  it('updated_by and changed_by come from auth.uid(): they cannot be forged', async () => {
    await update('authenticated', adminId, { ...cdnDoc, updated_by: userId, changed_by: userId });
    const { rows } = await db.query<{ updated_by: string }>(
      `select updated_by from app_config where config_key = 'marketplace_source'`,
    );
    expect(rows[0]?.updated_by).toBe(adminId);
    const h = await db.query<{ changed_by: string }>(
      'select changed_by from app_config_history order by id desc limit 1',
    );
    expect(h.rows[0]?.changed_by).toBe(adminId);
  });

  it('rollback restores a history entry as a new version with origin rollback; admins only', async () => {
    await update('authenticated', adminId, { type: 'git', gitUrl: GIT, cloudflareUrl: CDN });
    const target = await db.query<{ id: string; new_value: unknown }>(
      `select id, new_value from app_config_history where new_value->>'type' = 'git' order by id desc limit 1`,
    );
    await update('authenticated', adminId, cdnDoc);
    const id = target.rows[0]?.id;
    expect(
      await outcome(
        asRole(db, 'authenticated', userId, (tx) => tx.query('select public.rollback_app_config($1)', [id])),
      ),
    ).toBe('42501');
    const before = await currentVersion();
    await asRole(db, 'authenticated', adminId, (tx) =>
      tx.query('select public.rollback_app_config($1, $2)', [id, 'back to Git']),
    );
    const now = await db.query<{ config_value: unknown; version: string }>(
      `select config_value, version from app_config where config_key = 'marketplace_source'`,
    );
    expect(now.rows[0]?.config_value).toEqual(target.rows[0]?.new_value);
    expect(Number(now.rows[0]?.version)).toBe(before + 1);
    const last = await db.query<{ origin: string; reason: string }>(
      'select origin, reason from app_config_history order by id desc limit 1',
    );
    expect(last.rows[0]).toEqual({ origin: 'rollback', reason: 'back to Git' });
    expect(
      await outcome(
        asRole(db, 'authenticated', adminId, (tx) => tx.query('select public.rollback_app_config(999999)')),
      ),
    ).toBe('PT404');
  });

  it('admins can be added and removed, but never the last one', async () => {
    expect(
      await outcome(
        asRole(db, 'authenticated', userId, (tx) =>
          tx.query('select public.add_marketplace_admin($1)', [userId]),
        ),
      ),
    ).toBe('42501');
    await asRole(db, 'authenticated', adminId, (tx) =>
      tx.query('select public.add_marketplace_admin($1)', [userId]),
    );
    await asRole(db, 'authenticated', userId, (tx) =>
      tx.query('select public.remove_marketplace_admin($1)', [adminId]),
    );
    expect(
      await outcome(
        asRole(db, 'authenticated', userId, (tx) =>
          tx.query('select public.remove_marketplace_admin($1)', [userId]),
        ),
      ),
    ).toBe('PT403');
    expect(
      await outcome(
        asRole(db, 'service_role', undefined, (tx) =>
          tx.query('select public.remove_marketplace_admin($1)', [userId]),
        ),
      ),
    ).toBe('PT403');
    // Restore Ada for the other tests.
    await asRole(db, 'service_role', undefined, (tx) =>
      tx.query('select public.add_marketplace_admin($1)', [adminId]),
    );
  });
});
