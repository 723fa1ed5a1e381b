import { type RunningStandIn, startSupabaseStandIn } from '@cartae/local-supabase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './support/run-cli.ts';

let standIn: RunningStandIn;
let env: Record<string, string>;
let admin: Record<string, string>;
let viewer: Record<string, string>;
beforeAll(async () => {
  standIn = await startSupabaseStandIn();
  await standIn.createUser({ email: 'ops@cartae.test', password: 'ops-password', admin: true });
  await standIn.createUser({ email: 'viewer@cartae.test', password: 'viewer-password' });
  env = { SUPABASE_URL: standIn.url, SUPABASE_ANON_KEY: standIn.anonKey };
  admin = { ...env, CARTAE_ADMIN_EMAIL: 'ops@cartae.test', CARTAE_ADMIN_PASSWORD: 'ops-password' };
  viewer = { ...env, CARTAE_ADMIN_EMAIL: 'viewer@cartae.test', CARTAE_ADMIN_PASSWORD: 'viewer-password' };
}, 60_000);
afterAll(async () => {
  await standIn?.close();
});

interface Host {
  host: string;
  inUse: boolean;
  note: string | null;
  addedByEmail: string | null;
}
const list = async () => JSON.parse((await cli(['--json', 'hosts'], admin)).stdout) as Host[];

describe('cartae-marketplace hosts', { timeout: 60_000 }, () => {
  it('lists the shipped hosts, marking the ones the config uses', async () => {
    const hosts = await list();
    expect(hosts.map((h) => h.host)).toEqual(
      expect.arrayContaining(['raw.githubusercontent.com', 'marketplace.cartae.com']),
    );
    const human = await cli(['hosts'], admin);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^raw\.githubusercontent\.com\s+in use\s+added \d{4}-\d\d-\d\d/m);
  });

  it('adds a host (normalised, audited), says when it was already there, removes it', async () => {
    const added = await cli(['hosts', 'add', ' CDN2.Cartae.com ', '--note', 'second CDN', '--yes'], admin);
    expect(added).toMatchObject({ code: 0, stdout: '✔ cdn2.cartae.com is on the list of source hosts\n' });
    expect((await list()).find((h) => h.host === 'cdn2.cartae.com')).toMatchObject({
      note: 'second CDN',
      addedByEmail: 'ops@cartae.test',
      inUse: false,
    });
    expect((await cli(['hosts', 'add', 'cdn2.cartae.com', '--yes'], admin)).stdout).toBe(
      'cdn2.cartae.com was already on the list; nothing was written.\n',
    );
    const feed = JSON.parse((await cli(['--json', 'alerts'], admin)).stdout) as { text: string }[];
    expect(feed.map((a) => a.text)).toContain(
      'ops@cartae.test added the source host cdn2.cartae.com (second CDN)',
    );
    expect((await cli(['hosts', 'remove', 'cdn2.cartae.com', '--yes'], admin)).code).toBe(0);
    expect((await list()).some((h) => h.host === 'cdn2.cartae.com')).toBe(false);
  });

  it('refuses a URL or a wildcard before asking (exit 5), in the database words', async () => {
    const url = await cli(['hosts', 'add', 'https://cdn.example.com', '--yes'], admin);
    expect(url.code).toBe(5);
    expect(url.stderr).toContain(
      'invalid source host: give the host name alone, without a scheme, port or path',
    );
    const wildcard = await cli(['hosts', 'add', '*.cartae.com', '--yes'], admin);
    expect(wildcard.code).toBe(5);
  });

  it('refuses to remove a host the config uses (exit 4), saying which field', async () => {
    const before = await list();
    const inUse = before.find((h) => h.inUse);
    expect(inUse).toBeDefined();
    const result = await cli(['hosts', 'remove', inUse?.host ?? '', '--yes'], admin);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/the current config's (gitUrl|cloudflareUrl) uses/);
    expect(await list()).toEqual(before);
  });

  it('a signed-in user who is not an admin is refused (exit 3), nothing changed', async () => {
    expect((await cli(['hosts'], viewer)).code).toBe(3);
    expect((await cli(['hosts', 'add', 'x.example.com', '--yes'], viewer)).code).toBe(3);
    expect((await list()).some((h) => h.host === 'x.example.com')).toBe(false);
  });
});
