import { describe, expect, it } from 'vitest';
import { readMarketplaceConfig } from './read-config.ts';
import { validateMarketplaceConfig } from './validate-config.ts';

const GIT = 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json';
const CDN = 'https://marketplace.cartae.com';
const valid = {
  type: 'hybrid',
  priority: ['cloudflare', 'git'],
  gitUrl: GIT,
  cloudflareUrl: CDN,
  canaryPercent: 10,
};

describe('validateMarketplaceConfig (what an admin may save)', () => {
  it('accepts a complete hybrid document and fills defaults', () => {
    const r = validateMarketplaceConfig(valid);
    expect(r).toMatchObject({
      ok: true,
      value: {
        type: 'hybrid',
        priority: ['cloudflare', 'git'],
        canaryPercent: 10,
        cacheTtlSeconds: 300,
        fallbackOnError: true,
      },
    });
  });

  it('accepts unknown keys, so newer fields can be added', () => {
    expect(validateMarketplaceConfig({ ...valid, futureFlag: { x: 1 } }).ok).toBe(true);
  });

  it('accepts http to localhost only when the policy allows it', () => {
    const doc = { type: 'cloudflare', cloudflareUrl: 'http://127.0.0.1:8787' };
    expect(validateMarketplaceConfig(doc).ok).toBe(false);
    expect(validateMarketplaceConfig(doc, { allowLoopbackHttp: true }).ok).toBe(true);
  });

  it.each([
    ['not an object', [1, 2], '(document)', 'must be a JSON object'],
    ['null', null, '(document)', 'must be a JSON object'],
    ['missing type', { gitUrl: GIT }, 'type', 'type is required'],
    ['unknown type', { type: 's3', gitUrl: GIT }, 'type', 'type must be one of git, cloudflare, hybrid'],
    ['type of wrong JSON type', { type: 7, gitUrl: GIT }, 'type', 'type is required'],
    [
      'http URL',
      { type: 'git', gitUrl: 'http://example.com/registry.json' },
      'gitUrl',
      'gitUrl must use https (http is only accepted for localhost)',
    ],
    [
      'javascript: URL',
      { type: 'cloudflare', cloudflareUrl: 'javascript:alert(1)' },
      'cloudflareUrl',
      'cloudflareUrl must use https, not "javascript:"',
    ],
    [
      'credentials in URL',
      { type: 'git', gitUrl: 'https://u:p@example.com/r.json' },
      'gitUrl',
      'gitUrl must not contain credentials',
    ],
    [
      'missing URL for the chosen type',
      { type: 'cloudflare', gitUrl: GIT },
      'cloudflareUrl',
      'cloudflareUrl is required when type is "cloudflare"',
    ],
    [
      'canary above 100',
      { ...valid, canaryPercent: 101 },
      'canaryPercent',
      'canaryPercent must be a whole number between 0 and 100',
    ],
    [
      'canary as a string',
      { ...valid, canaryPercent: '10' },
      'canaryPercent',
      'canaryPercent must be a whole number between 0 and 100',
    ],
    [
      'canary with a fraction (issue 14: one rule, whole percentages)',
      { ...valid, canaryPercent: 12.5 },
      'canaryPercent',
      'canaryPercent must be a whole number between 0 and 100',
    ],
    ['TTL zero', { ...valid, cacheTtlSeconds: 0 }, 'cacheTtlSeconds', 'cacheTtlSeconds must be at least 5'],
    [
      'TTL fractional',
      { ...valid, cacheTtlSeconds: 12.5 },
      'cacheTtlSeconds',
      'cacheTtlSeconds must be a whole number of seconds',
    ],
    [
      'TTL over a day',
      { ...valid, cacheTtlSeconds: 90_000 },
      'cacheTtlSeconds',
      'cacheTtlSeconds must be at most 86400',
    ],
    [
      'priority naming an unknown source',
      { ...valid, priority: ['cloudflare', 'ipfs'] },
      'priority',
      'priority may only name cloudflare and git',
    ],
    [
      'priority with a duplicate',
      { ...valid, priority: ['git', 'git'] },
      'priority',
      'priority must not name a source twice',
    ],
    [
      'hybrid naming one source',
      { ...valid, priority: ['git'] },
      'priority',
      'a hybrid priority must name both cloudflare and git',
    ],
    [
      'priority contradicting type',
      { type: 'git', gitUrl: GIT, cloudflareUrl: CDN, priority: ['cloudflare'] },
      'priority',
      'priority must start with "git" when type is "git"',
    ],
    [
      'boolean as a string',
      { ...valid, fallbackOnError: 'yes' },
      'fallbackOnError',
      'fallbackOnError must be true or false',
    ],
    [
      'autoSwitch with a bad target',
      { ...valid, autoSwitch: { enabled: true, rateLimitedPercent: 20, windowMinutes: 10, target: 'moon' } },
      'autoSwitch.target',
      'autoSwitch.target must be one of git, cloudflare, hybrid-cdn-first, hybrid-git-first',
    ],
    [
      'oversize document',
      { ...valid, padding: 'x'.repeat(17_000) },
      '(document)',
      'must be at most 16384 bytes',
    ],
  ])('rejects %s with a message naming the field', (_name, doc, path, message) => {
    const r = validateMarketplaceConfig(doc);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('config_invalid');
    expect(r.error.issues).toContainEqual({ path, message });
    expect(r.error.message).toContain(message);
  });
});

/**
 * `{ ...valid, deep: … }` nested `levels` deep in all, the top-level object being level 1:
 * arrays, with an object every tenth level, down to a string leaf. Built in a loop, since a recursive
 * builder would itself overflow at 100,000 levels.
 */
function nestedDoc(levels: number): Record<string, unknown> {
  let deep: unknown = 'leaf';
  for (let level = levels; level >= 2; level--) deep = level % 10 === 0 ? { a: deep } : [deep];
  return { ...valid, deep };
}

describe('validateMarketplaceConfig: nesting depth (issue 12, item 8)', () => {
  const tooDeep = 'must be nested at most 32 levels deep (the top-level object is level 1)';

  it('accepts a document nested 32 levels deep, unknown key and all', () => {
    expect(validateMarketplaceConfig(nestedDoc(32)).ok).toBe(true);
  });

  it.each([33, 4_000, 100_000])(
    'refuses a document nested %i levels deep, without overflowing the stack',
    (levels) => {
      const r = validateMarketplaceConfig(nestedDoc(levels));
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe('config_invalid');
      expect(r.error.issues).toEqual([{ path: '(document)', message: tooDeep }]);
      expect(r.error.message).toBe(`invalid marketplace_source: (document): ${tooDeep}`);
    },
  );

  it('counts objects and arrays, not scalars: an empty container at level 33 is too deep', () => {
    const wrap = (leaf: unknown, arrays: number) => {
      let deep = leaf;
      for (let i = 0; i < arrays; i++) deep = [deep];
      return { ...valid, deep };
    };
    expect(validateMarketplaceConfig(wrap('leaf', 31)).ok).toBe(true);
    expect(validateMarketplaceConfig(wrap({}, 30)).ok).toBe(true);
    expect(validateMarketplaceConfig(wrap({}, 31)).ok).toBe(false);
    expect(validateMarketplaceConfig(wrap([], 31)).ok).toBe(false);
  });

  it('refuses a cyclic value as too deep instead of throwing', () => {
    const cycle: Record<string, unknown> = { ...valid };
    cycle.self = cycle;
    const r = validateMarketplaceConfig(cycle);
    expect(!r.ok && r.error.issues).toEqual([{ path: '(document)', message: tooDeep }]);
  });
});

describe('validateMarketplaceConfig: rolloutGuard (issue 13, guarded rollout)', () => {
  const guard = { enabled: true, errorPercent: 5, windowMinutes: 10 };

  it('accepts a document without rolloutGuard (the database guards with its defaults) and a valid one', () => {
    const without = validateMarketplaceConfig(valid);
    expect(without.ok && without.value.rolloutGuard).toBeUndefined();
    expect(validateMarketplaceConfig({ ...valid, rolloutGuard: guard })).toMatchObject({
      ok: true,
      value: { rolloutGuard: guard },
    });
    const off = { enabled: false, errorPercent: 0, windowMinutes: 1_440 };
    expect(validateMarketplaceConfig({ ...valid, rolloutGuard: off })).toMatchObject({
      ok: true,
      value: { rolloutGuard: off },
    });
  });

  // The same messages as validate_rollout_guard (supabase/tests/rollout-guard.test.ts).
  const window = 'rolloutGuard.windowMinutes must be a whole number of minutes between 1 and 1440';
  const percent = 'rolloutGuard.errorPercent must be a number between 0 and 100';
  it.each([
    [
      'enabled as a string',
      { ...guard, enabled: 'yes' },
      'rolloutGuard.enabled',
      'rolloutGuard.enabled must be true or false',
    ],
    ['errorPercent above 100', { ...guard, errorPercent: 101 }, 'rolloutGuard.errorPercent', percent],
    ['errorPercent below 0', { ...guard, errorPercent: -1 }, 'rolloutGuard.errorPercent', percent],
    ['errorPercent as a string', { ...guard, errorPercent: '5' }, 'rolloutGuard.errorPercent', percent],
    ['windowMinutes not whole', { ...guard, windowMinutes: 1.5 }, 'rolloutGuard.windowMinutes', window],
    ['windowMinutes 0', { ...guard, windowMinutes: 0 }, 'rolloutGuard.windowMinutes', window],
    ['windowMinutes above a day', { ...guard, windowMinutes: 1_441 }, 'rolloutGuard.windowMinutes', window],
    ['windowMinutes missing', { enabled: true, errorPercent: 5 }, 'rolloutGuard.windowMinutes', window],
    ['not an object', 'on', 'rolloutGuard', 'rolloutGuard must be an object'],
  ])('refuses %s with the database message', (_name, rolloutGuard, path, message) => {
    const r = validateMarketplaceConfig({ ...valid, rolloutGuard });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.issues).toContainEqual({ path, message });
    expect(r.error.message).toBe(`invalid marketplace_source: ${message}`);
  });
});

describe('validateMarketplaceConfig: canaryRamp (issue 13, scheduled ramp)', () => {
  const ramp = { enabled: true, steps: [10, 50, 100], holdMinutes: 60 };

  it('accepts a document without canaryRamp and valid ones', () => {
    const without = validateMarketplaceConfig(valid);
    expect(without.ok && without.value.canaryRamp).toBeUndefined();
    for (const canaryRamp of [
      ramp,
      { enabled: false, steps: [100], holdMinutes: 10_080 },
      { ...ramp, holdMinutes: 1 },
    ]) {
      expect(validateMarketplaceConfig({ ...valid, canaryRamp })).toMatchObject({
        ok: true,
        value: { canaryRamp },
      });
    }
  });

  // The same messages as validate_canary_ramp (supabase/tests/canary-ramp.test.ts).
  const steps =
    'canaryRamp.steps must be 1 to 10 whole percentages between 1 and 100, increasing, the last 100';
  const hold = 'canaryRamp.holdMinutes must be a whole number of minutes between 1 and 10080';
  it.each([
    [
      'enabled as a string',
      { ...ramp, enabled: 'yes' },
      'canaryRamp.enabled',
      'canaryRamp.enabled must be true or false',
    ],
    ['steps empty', { ...ramp, steps: [] }, 'canaryRamp.steps', steps],
    ['steps not ending at 100', { ...ramp, steps: [10, 50] }, 'canaryRamp.steps', steps],
    ['steps decreasing', { ...ramp, steps: [50, 10, 100] }, 'canaryRamp.steps', steps],
    ['steps repeated', { ...ramp, steps: [10, 10, 100] }, 'canaryRamp.steps', steps],
    ['a step not whole', { ...ramp, steps: [12.5, 100] }, 'canaryRamp.steps', steps],
    ['a step of 0', { ...ramp, steps: [0, 100] }, 'canaryRamp.steps', steps],
    ['eleven steps', { ...ramp, steps: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100] }, 'canaryRamp.steps', steps],
    ['steps not a list', { ...ramp, steps: '10,100' }, 'canaryRamp.steps', steps],
    ['holdMinutes 0', { ...ramp, holdMinutes: 0 }, 'canaryRamp.holdMinutes', hold],
    ['holdMinutes above a week', { ...ramp, holdMinutes: 10_081 }, 'canaryRamp.holdMinutes', hold],
    ['holdMinutes not whole', { ...ramp, holdMinutes: 1.5 }, 'canaryRamp.holdMinutes', hold],
    ['not an object', 'on', 'canaryRamp', 'canaryRamp must be an object'],
  ])('refuses %s with the database message', (_name, canaryRamp, path, message) => {
    const r = validateMarketplaceConfig({ ...valid, canaryRamp });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.issues).toContainEqual({ path, message });
    expect(r.error.message).toBe(`invalid marketplace_source: ${message}`);
  });
});

describe('canaryPercent: one rule (issue 14)', () => {
  it('writes take whole percentages only, while apps keep reading a fraction stored before the rule', () => {
    expect(validateMarketplaceConfig({ ...valid, canaryPercent: 13 }).ok).toBe(true);
    expect(validateMarketplaceConfig({ ...valid, canaryPercent: 12.5 }).ok).toBe(false);
    const read = readMarketplaceConfig({ ...valid, canaryPercent: 12.5 });
    expect(read.ok && read.value.config.canaryPercent).toBe(12.5);
  });
});
