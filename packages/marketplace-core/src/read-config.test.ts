import { describe, expect, it } from 'vitest';
import { readMarketplaceConfig } from './read-config.ts';

const GIT = 'https://git.example/registry.json';
const CDN = 'https://cdn.example';

describe('readMarketplaceConfig (what a resolver accepts from the control plane)', () => {
  it('fills defaults for the user document example', () => {
    const r = readMarketplaceConfig({
      type: 'cloudflare',
      priority: ['cloudflare'],
      cloudflareUrl: 'https://marketplace.cartae.com',
      healthCheckEnabled: true,
      fallbackOnError: true,
    });
    expect(r).toEqual({
      ok: true,
      value: {
        warnings: [],
        config: {
          type: 'cloudflare',
          priority: ['cloudflare'],
          cloudflareUrl: 'https://marketplace.cartae.com/',
          canaryPercent: 100,
          healthCheckEnabled: true,
          healthCheckIntervalSeconds: 60,
          fallbackOnError: true,
          cacheTtlSeconds: 300,
        },
      },
    });
  });

  it('ignores unknown fields without failing', () => {
    const r = readMarketplaceConfig({
      type: 'git',
      gitUrl: GIT,
      newThing: { nested: [1] },
      rollout: 'weekly',
    });
    expect(r.ok && r.value.config).not.toHaveProperty('newThing');
    expect(r.ok && r.value.config.type).toBe('git');
  });

  it('drops unknown source kinds from a hybrid priority and says so', () => {
    const r = readMarketplaceConfig({
      type: 'hybrid',
      priority: ['r2', 'git', 'cloudflare'],
      gitUrl: GIT,
      cloudflareUrl: CDN,
    });
    expect(r.ok && r.value.config.priority).toEqual(['git', 'cloudflare']);
    expect(r.ok && r.value.warnings).toContain('ignored unknown source kind "r2" in priority');
  });

  it('maps an unknown type onto the known kinds of its priority', () => {
    const r = readMarketplaceConfig({
      type: 'edge-mesh',
      priority: ['fastly', 'cloudflare'],
      cloudflareUrl: CDN,
    });
    expect(r.ok && r.value.config).toMatchObject({ type: 'cloudflare', priority: ['cloudflare'] });
  });

  it('refuses an unknown type with no known source', () => {
    const r = readMarketplaceConfig({ type: 'edge-mesh', priority: ['fastly'] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('config_invalid');
  });

  it('drops a source whose URL the app refuses, keeping the other', () => {
    const r = readMarketplaceConfig(
      { type: 'hybrid', priority: ['cloudflare', 'git'], gitUrl: GIT, cloudflareUrl: 'https://evil.example' },
      { allowedHosts: ['git.example', 'cdn.example'] },
    );
    expect(r.ok && r.value.config.priority).toEqual(['git']);
    expect(r.ok && r.value.config.cloudflareUrl).toBeUndefined();
  });

  it('refuses a document whose only source is hostile', () => {
    const r = readMarketplaceConfig({ type: 'git', gitUrl: 'javascript:alert(1)' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toContain('keeping the last good config');
  });

  it.each([
    ['a string', 'git'],
    ['an array', ['git']],
    ['a TTL of the wrong type', { type: 'git', gitUrl: GIT, cacheTtlSeconds: '300' }],
    ['a TTL out of bounds', { type: 'git', gitUrl: GIT, cacheTtlSeconds: 1 }],
  ])('refuses %s', (_name, doc) => {
    expect(readMarketplaceConfig(doc).ok).toBe(false);
  });
});

describe('readMarketplaceConfig: nesting depth (issue 12, item 8)', () => {
  /** A git config with an unknown key, nested `levels` deep in all (the top-level object is level 1). */
  const nested = (levels: number) => {
    let deep: unknown = 1;
    for (let level = levels; level >= 2; level--) deep = level % 10 === 0 ? { a: deep } : [deep];
    return { type: 'git', gitUrl: GIT, futureField: deep };
  };

  it('reads a document nested 32 levels deep', () => {
    expect(readMarketplaceConfig(nested(32)).ok).toBe(true);
  });

  it.each([33, 100_000])(
    'refuses a stored document nested %i levels deep, without overflowing the stack',
    (levels) => {
      const r = readMarketplaceConfig(nested(levels));
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error.code).toBe('config_invalid');
      expect(!r.ok && r.error.message).toBe(
        'marketplace config is nested more than 32 levels deep; keeping the last good config',
      );
    },
  );
});

describe('readMarketplaceConfig: rolloutGuard (used by the database only)', () => {
  const doc = { type: 'git', gitUrl: GIT };

  it('keeps a valid rolloutGuard', () => {
    const rolloutGuard = { enabled: false, errorPercent: 5, windowMinutes: 10 };
    const r = readMarketplaceConfig({ ...doc, rolloutGuard });
    expect(r.ok && r.value.config.rolloutGuard).toEqual(rolloutGuard);
    expect(r.ok && r.value.warnings).toEqual([]);
  });

  it('drops an invalid one with a warning instead of refusing the config', () => {
    const r = readMarketplaceConfig({ ...doc, rolloutGuard: { enabled: 'yes' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.config.rolloutGuard).toBeUndefined();
    expect(r.value.config.priority).toEqual(['git']);
    expect(r.value.warnings).toEqual(['ignored an invalid rolloutGuard']);
  });
});

describe('readMarketplaceConfig: canaryRamp (used by the database only)', () => {
  const doc = {
    type: 'hybrid',
    gitUrl: GIT,
    cloudflareUrl: 'https://marketplace.cartae.com',
    canaryPercent: 10,
  };

  it('keeps a valid canaryRamp', () => {
    const canaryRamp = { enabled: true, steps: [10, 50, 100], holdMinutes: 60 };
    const r = readMarketplaceConfig({ ...doc, canaryRamp });
    expect(r.ok && r.value.config.canaryRamp).toEqual(canaryRamp);
    expect(r.ok && r.value.warnings).toEqual([]);
  });

  it('drops an invalid one with a warning instead of refusing the config', () => {
    const r = readMarketplaceConfig({
      ...doc,
      canaryRamp: { enabled: true, steps: [50, 10], holdMinutes: 60 },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.config.canaryRamp).toBeUndefined();
    expect(r.value.config.canaryPercent).toBe(10);
    expect(r.value.warnings).toEqual(['ignored an invalid canaryRamp']);
  });
});
