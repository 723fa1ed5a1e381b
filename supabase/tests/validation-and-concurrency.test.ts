import { validateMarketplaceConfig } from '@cartae/marketplace-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../packages/local-supabase/src/index.ts';
import { asRole, BACKENDS, createUser, openBackend } from './support/backends.ts';

const GIT = 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json';
const CDN = 'https://marketplace.cartae.com';
const hybrid = {
  type: 'hybrid',
  priority: ['cloudflare', 'git'],
  gitUrl: GIT,
  cloudflareUrl: CDN,
  canaryPercent: 10,
};

/**
 * `hybrid` with an unknown key, nested `levels` deep in all (the top-level object is level 1):
 * arrays, with an object every tenth level, down to a number. Built in a loop, not recursively.
 */
function nested(levels: number): Record<string, unknown> {
  let deep: unknown = 1;
  for (let level = levels; level >= 2; level--) deep = level % 10 === 0 ? { a: deep } : [deep];
  return { ...hybrid, futureField: deep };
}
const TOO_DEEP = 'must be nested at most 32 levels deep (the top-level object is level 1)';

/** Invalid documents, with the message the database must give (the same as marketplace-core's). */
const invalid: [string, unknown, string][] = [
  ['an array', [1, 2], 'must be a JSON object'],
  ['a missing type', { gitUrl: GIT }, 'type is required'],
  ['an unknown type', { type: 's3', gitUrl: GIT }, 'type must be one of git, cloudflare, hybrid'],
  ['a type that is a number', { type: 7 }, 'type is required'],
  [
    'an http URL',
    { type: 'git', gitUrl: 'http://example.com/registry.json' },
    'gitUrl must use https (http is only accepted for localhost)',
  ],
  [
    'a javascript: URL',
    { type: 'cloudflare', cloudflareUrl: 'javascript:alert(1)' },
    'cloudflareUrl must use https, not "javascript:"',
  ],
  [
    'a data: URL',
    { type: 'cloudflare', cloudflareUrl: 'data:text/html,hi' },
    'cloudflareUrl must use https, not "data:"',
  ],
  [
    'credentials in a URL',
    { type: 'git', gitUrl: 'https://u:p@example.com/r.json' },
    'gitUrl must not contain credentials',
  ],
  [
    'a URL with a space',
    { type: 'git', gitUrl: 'https://exa mple.com/r.json' },
    'gitUrl must not contain spaces, backslashes or control characters',
  ],
  [
    'a URL for the chosen type missing',
    { type: 'cloudflare', gitUrl: GIT },
    'cloudflareUrl is required when type is "cloudflare"',
  ],
  ['canary 101', { ...hybrid, canaryPercent: 101 }, 'canaryPercent must be a whole number between 0 and 100'],
  [
    'canary as a string',
    { ...hybrid, canaryPercent: '10' },
    'canaryPercent must be a whole number between 0 and 100',
  ],
  ['TTL 0', { ...hybrid, cacheTtlSeconds: 0 }, 'cacheTtlSeconds must be at least 5'],
  ['TTL over a day', { ...hybrid, cacheTtlSeconds: 90000 }, 'cacheTtlSeconds must be at most 86400'],
  [
    'TTL fractional',
    { ...hybrid, cacheTtlSeconds: 12.5 },
    'cacheTtlSeconds must be a whole number of seconds',
  ],
  [
    'priority naming an unknown source',
    { ...hybrid, priority: ['cloudflare', 'ipfs'] },
    'priority may only name cloudflare and git',
  ],
  [
    'priority naming a source twice',
    { ...hybrid, priority: ['git', 'git'] },
    'priority must not name a source twice',
  ],
  [
    'hybrid naming one source',
    { ...hybrid, priority: ['git'] },
    'a hybrid priority must name both cloudflare and git',
  ],
  [
    'priority contradicting type',
    { type: 'git', gitUrl: GIT, priority: ['cloudflare'] },
    'priority must start with "git" when type is "git"',
  ],
  ['a boolean as a string', { ...hybrid, fallbackOnError: 'yes' }, 'fallbackOnError must be true or false'],
  [
    'a bad autoSwitch target',
    { ...hybrid, autoSwitch: { enabled: true, rateLimitedPercent: 20, windowMinutes: 10, target: 'moon' } },
    'autoSwitch.target must be one of git, cloudflare, hybrid-cdn-first, hybrid-git-first',
  ],
  ['an oversize document', { ...hybrid, padding: 'x'.repeat(17000) }, 'must be at most 16384 bytes'],
  ['a document nested 33 levels deep', nested(33), TOO_DEEP],
  // About 10 KB, under the size bound; PGlite still parses it (it gives up past ~6,000 levels).
  ['an unknown key nested 4,000 levels deep', nested(4000), TOO_DEEP],
];

describe.each(BACKENDS)('validation and concurrency on %s', (backend) => {
  let db: Database;
  let close: () => Promise<void>;
  let ada: string;
  let grace: string;

  beforeAll(async () => {
    ({ db, close } = await openBackend(backend));
    ada = await createUser(db, 'ada@cartae.dev', 'Ada');
    grace = await createUser(db, 'grace@cartae.dev', 'Grace');
    for (const id of [ada, grace]) {
      await asRole(db, 'service_role', undefined, (tx) =>
        tx.query('select public.add_marketplace_admin($1)', [id]),
      );
    }
  });
  afterAll(async () => {
    await close();
  });

  const state = async () =>
    (
      await db.query<{ config_value: unknown; version: string }>(
        `select config_value, version from app_config where config_key = 'marketplace_source'`,
      )
    ).rows[0];
  const historyCount = async () =>
    Number((await db.query<{ n: string }>('select count(*) as n from app_config_history')).rows[0]?.n);
  const update = (sub: string, doc: unknown, expected: number | null = null) =>
    asRole(db, 'authenticated', sub, (tx) =>
      tx.query<{ r: { version: number } }>('select public.update_app_config($1, $2, null, $3) as r', [
        'marketplace_source',
        JSON.stringify(doc),
        expected,
      ]),
    );

  it.each(invalid)('rejects %s with a clear message and changes nothing', async (_name, doc, message) => {
    const before = await state();
    const history = await historyCount();
    const error = await update(ada, doc).then(
      () => undefined,
      (e: { code?: string; message?: string }) => e,
    );
    expect(error?.code).toBe('22023');
    expect(error?.message).toBe(`invalid marketplace_source: ${message}`);
    expect(await state()).toEqual(before);
    expect(await historyCount()).toBe(history);
    // The TypeScript check an admin panel runs before saving agrees with the database.
    const ts = validateMarketplaceConfig(doc);
    expect(ts.ok).toBe(false);
    expect(!ts.ok && ts.error.message).toContain(message);
  });

  it('keeps unknown keys (forward compatibility) and accepts loopback http in local setups', async () => {
    await update(ada, { ...hybrid, futureField: { a: 1 } });
    expect((await state())?.config_value).toMatchObject({ futureField: { a: 1 } });
    await update(ada, { type: 'cloudflare', cloudflareUrl: 'http://127.0.0.1:8787' });
  });

  it('saves a document nested 32 levels deep, and a normal config after a refused deep one', async () => {
    const version = Number((await state())?.version);
    await update(ada, nested(32));
    expect(Number((await state())?.version)).toBe(version + 1);
    await expect(update(ada, nested(4000))).rejects.toMatchObject({ code: '22023' });
    const saved = await update(ada, { ...hybrid, canaryPercent: 42 });
    expect(saved.rows[0]?.r.version).toBe(version + 2);
    expect((await state())?.config_value).toMatchObject({ canaryPercent: 42 });
  });

  it('refuses to roll back to a history entry nested past the limit', async () => {
    // Only a write from before the bound (or by the database owner) can have stored one.
    const { rows } = await db.query<{ id: string }>(
      `insert into app_config_history (config_key, version, new_value, origin)
       values ('marketplace_source', 0, $1::jsonb, 'migration') returning id`,
      [JSON.stringify(nested(40))],
    );
    const before = await state();
    const error = await asRole(db, 'authenticated', ada, (tx) =>
      tx.query('select public.rollback_app_config($1)', [rows[0]?.id]),
    ).then(
      () => undefined,
      (e: { code?: string; message?: string }) => e,
    );
    expect(error).toMatchObject({ code: '22023', message: `invalid marketplace_source: ${TOO_DEEP}` });
    expect(await state()).toEqual(before);
  });

  it('two admins with the same expected version: exactly one wins, the other gets a conflict', async () => {
    const version = Number((await state())?.version);
    const results = await Promise.allSettled([
      update(ada, { ...hybrid, canaryPercent: 20 }, version),
      update(grace, { ...hybrid, canaryPercent: 30 }, version),
    ]);
    const codes = results
      .map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code?: string }).code))
      .sort();
    expect(codes).toEqual(['PT409', 'ok']);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason.message).toContain(`you edited version ${version}, it is now version ${version + 1}`);
    expect(Number((await state())?.version)).toBe(version + 1);
  });

  it('100 concurrent updates: a gap-free version sequence and one history row per change', async () => {
    const startVersion = Number((await state())?.version);
    const history = await historyCount();
    // `run` makes every document differ from the stored one (an equal one makes no version).
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        update(i % 2 ? ada : grace, { ...hybrid, canaryPercent: i, run: i }),
      ),
    );
    expect(Number((await state())?.version)).toBe(startVersion + 100);
    expect(await historyCount()).toBe(history + 100);
    const versions = await db.query<{ version: string }>(
      `select version from app_config_history where version > $1 order by version`,
      [startVersion],
    );
    expect(versions.rows.map((r) => Number(r.version))).toEqual(
      Array.from({ length: 100 }, (_, i) => startVersion + i + 1),
    );
  });
});
