import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createMarketplaceSourceResolver,
  createMemoryStorage,
  silentLogger,
} from '../../packages/marketplace-resolver/src/index.ts';
import { BACKENDS } from './support/backends.ts';
import { type StandInFixture, startStandInOn } from './support/stand-in.ts';

const GIT = 'https://raw.githubusercontent.com/cartae/plugins/main';
const CDN = 'https://marketplace.cartae.com';

describe.each(BACKENDS)("the resolver's Supabase config provider, against the stand-in on %s", (backend) => {
  let f: StandInFixture;
  beforeEach(async () => {
    f = await startStandInOn(backend);
    await f.standIn.createUser({ email: 'admin@cartae.test', password: 'admin-password', admin: true });
  });
  afterEach(async () => {
    await f?.close();
  });

  async function switchTo(config: Record<string, unknown>, reason: string) {
    const admin = f.client();
    await admin.auth.signInWithPassword({ email: 'admin@cartae.test', password: 'admin-password' });
    const { data, error } = await admin.rpc('update_app_config', {
      p_config_key: 'marketplace_source',
      p_config_value: config,
      p_reason: reason,
    });
    expect(error).toBeNull();
    return (data as { version: number }).version;
  }

  it('an installed app follows the switch an admin makes, with no rebuild', async () => {
    const resolver = createMarketplaceSourceResolver({
      supabase: f.client(),
      autoRefresh: false,
      probes: false,
      // A fresh install: each back end's control plane starts its versions at 1.
      platform: { storage: createMemoryStorage() },
    });
    try {
      expect(await resolver.resolveUrl('api/plugins')).toMatch(/^https:\/\/raw\.githubusercontent\.com\//);
      const version = await switchTo(
        { type: 'cloudflare', cloudflareUrl: CDN, gitUrl: GIT },
        'Git rate limited',
      );
      await resolver.reloadConfig();
      expect(await resolver.resolveUrl('api/plugins')).toBe(`${CDN}/api/plugins`);
      expect(await resolver.getConfig()).toMatchObject({ origin: 'provider', version });
    } finally {
      resolver.dispose();
    }
  });

  it('a control plane that dies keeps the app on its last config', async () => {
    await switchTo({ type: 'cloudflare', cloudflareUrl: CDN, gitUrl: GIT }, 'to the CDN');
    const resolver = createMarketplaceSourceResolver({
      supabase: f.client(),
      autoRefresh: false,
      probes: false,
      configTimeoutMs: 1000,
      platform: { logger: silentLogger, storage: createMemoryStorage() },
    });
    try {
      expect(await resolver.resolveUrl('api/plugins')).toBe(`${CDN}/api/plugins`);
      await f.standIn.close();
      await resolver.reloadConfig();
      expect(await resolver.resolveUrl('api/plugins')).toBe(`${CDN}/api/plugins`);
    } finally {
      resolver.dispose();
    }
  });
});
