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
  ['canary 101', { ...hybrid, canaryPercent: 101 }, 'canaryPercent must be a number between 0 and 100'],
  [
    'canary as a string',
    { ...hybrid, canaryPercent: '10' },
    'canaryPercent must be a number between 0 and 100',
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
    await Promise.all(
      Array.from({ length: 100 }, (_, i) => update(i % 2 ? ada : grace, { ...hybrid, canaryPercent: i })),
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
