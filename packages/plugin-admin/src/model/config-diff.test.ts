import { describe, expect, it } from 'vitest';
import { diffConfig } from './config-diff.ts';
import { presetOf, propagationDelay, SOURCE_PRESETS, withPreset } from './source-presets.ts';

describe('diffConfig', () => {
  it('lists changed, added and removed fields, nested ones by dotted path, in the order History reads them', () => {
    expect(
      diffConfig(
        { type: 'git', canaryPercent: 100, autoSwitch: { enabled: false, target: 'cloudflare' }, old: 1 },
        {
          type: 'hybrid',
          canaryPercent: 100,
          autoSwitch: { enabled: true, target: 'cloudflare' },
          priority: ['cloudflare', 'git'],
        },
      ),
    ).toEqual([
      { path: 'type', before: 'git', after: 'hybrid' },
      { path: 'priority', before: undefined, after: ['cloudflare', 'git'] },
      { path: 'autoSwitch.enabled', before: false, after: true },
      // A field this panel does not know comes last.
      { path: 'old', before: 1, after: undefined },
    ]);
  });
  it('lists a settings group added or removed whole setting by setting, as History does', () => {
    expect(
      diffConfig({ type: 'git' }, { type: 'git', rolloutGuard: { enabled: true, errorPercent: 2 } }),
    ).toEqual([
      { path: 'rolloutGuard.enabled', before: undefined, after: true },
      { path: 'rolloutGuard.errorPercent', before: undefined, after: 2 },
    ]);
    expect(diffConfig({ canaryRamp: { enabled: true } }, {})).toEqual([
      { path: 'canaryRamp.enabled', before: true, after: undefined },
    ]);
    // A group replaced by a value of another kind is one change.
    expect(diffConfig({ autoSwitch: null }, { autoSwitch: { enabled: true } })).toEqual([
      { path: 'autoSwitch', before: null, after: { enabled: true } },
    ]);
  });
  it('a first version (no old value) shows every field as added', () => {
    expect(diffConfig(null, { type: 'git' })).toEqual([{ path: 'type', before: undefined, after: 'git' }]);
  });
});

describe('source presets', () => {
  it.each([
    [{ type: 'git' }, 'git'],
    [{ type: 'cloudflare', priority: ['cloudflare'] }, 'cloudflare'],
    [{ type: 'hybrid' }, 'hybrid-cdn-first'],
    [{ type: 'hybrid', priority: ['git', 'cloudflare'] }, 'hybrid-git-first'],
    [{ type: 'something-new' }, undefined],
  ])('%j is %s', (doc, id) => {
    expect(presetOf(doc)?.id).toBe(id);
  });
  it('switching keeps every other key, unknown ones included', () => {
    const preset = SOURCE_PRESETS[3];
    expect(withPreset({ type: 'git', gitUrl: 'https://g', futureKey: 1 }, preset)).toEqual({
      type: 'hybrid',
      priority: ['git', 'cloudflare'],
      gitUrl: 'https://g',
      futureKey: 1,
    });
  });
  it('states the propagation delay in minutes, rounded up', () => {
    expect(propagationDelay({ cacheTtlSeconds: 300 })).toBe('within 5 minutes');
    expect(propagationDelay({ cacheTtlSeconds: 61 })).toBe('within 2 minutes');
    expect(propagationDelay({ cacheTtlSeconds: 5 })).toBe('within 1 minute');
    expect(propagationDelay({})).toBe('within 5 minutes');
  });
});
