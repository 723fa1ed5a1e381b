import { describe, expect, it } from 'vitest';
import { bySettingOrder, settingName, settingValue } from './config-setting-words.ts';

describe('how settings read', () => {
  it.each([
    ['type', 'hybrid', 'Source', 'Hybrid (both sources)'],
    ['type', 'cloudflare', 'Source', 'Cloudflare CDN'],
    ['priority', ['cloudflare', 'git'], 'Order tried', 'CDN → Git'],
    ['gitUrl', 'https://example.org/r.json', 'Git URL', 'https://example.org/r.json'],
    ['cacheTtlSeconds', 60, 'Cache TTL', '60 s'],
    ['canaryPercent', 12, 'Canary percentage', '12 %'],
    ['fallbackOnError', false, 'Fall back on error', 'off'],
    ['autoSwitch.windowMinutes', 5, 'Automatic switch: window', '5 min'],
    ['canaryRamp.steps', [10, 50, 100], 'Canary ramp: steps', '10 → 50 → 100 %'],
    ['cacheTtlSeconds', undefined, 'Cache TTL', 'not set'],
  ])('%s = %j reads "%s: %s"', (path, value, name, words) => {
    expect(settingName(path)).toBe(name);
    expect(settingValue(path, value)).toBe(words);
  });

  it('a setting it does not know reads by its path, its value as it is', () => {
    expect(settingName('futureField')).toBe('futureField');
    expect(settingValue('futureField', { a: 1 })).toBe('{"a":1}');
    expect(settingValue('futureField', 'x')).toBe('x');
    // A known setting holding an unexpected type is not hidden either.
    expect(settingValue('cacheTtlSeconds', 'soon')).toBe('soon');
  });

  it('orders known settings as people read them, unknown ones after', () => {
    expect(['zeta', 'cacheTtlSeconds', 'type', 'alpha'].sort(bySettingOrder)).toEqual([
      'type',
      'cacheTtlSeconds',
      'alpha',
      'zeta',
    ]);
  });
});
