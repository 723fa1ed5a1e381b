import { describe, expect, it } from 'vitest';
import { editAutoSwitch, editCanaryRamp, editRolloutGuard, parseRampSteps } from './automation-edits.ts';
import { describeConfigChange } from './describe-config-change.ts';

const base = { type: 'git', gitUrl: 'https://example.com/registry.json' };
const auto = { enabled: true, rateLimitedPercent: 50, windowMinutes: 5, target: 'cloudflare' };

describe('automation edits', () => {
  it.each([
    [
      'on, absent: the suggestion',
      base,
      true,
      {},
      { enabled: true, rateLimitedPercent: 70, windowMinutes: 10, target: 'hybrid-cdn-first' },
    ],
    [
      'on, with a threshold',
      { ...base, autoSwitch: auto },
      true,
      { threshold: 60 },
      { ...auto, rateLimitedPercent: 60 },
    ],
    ['off keeps the values', { ...base, autoSwitch: auto }, false, {}, { ...auto, enabled: false }],
    ['off, absent: stays absent', base, false, {}, undefined],
  ])('auto-switch %s', (_, document, on, flags, expected) => {
    expect(editAutoSwitch(document, on, flags).autoSwitch).toEqual(expected);
  });

  it.each([
    ['on', {}, { enabled: true, errorPercent: 5, windowMinutes: 10 }],
    ['off', { window: 30 }, { enabled: false, errorPercent: 5, windowMinutes: 30 }],
    ['default', {}, undefined],
  ] as const)('guard %s', (mode, flags, expected) => {
    const document = { ...base, rolloutGuard: { enabled: true, errorPercent: 5, windowMinutes: 10 } };
    expect(editRolloutGuard(document, mode, flags).rolloutGuard).toEqual(expected);
  });

  it('ramp: on sets steps and hold; off keeps them; off when absent changes nothing', () => {
    const on = editCanaryRamp(base, { steps: [10, 100], holdMinutes: 15 });
    expect(on.canaryRamp).toEqual({ enabled: true, steps: [10, 100], holdMinutes: 15 });
    expect(editCanaryRamp(on, 'off').canaryRamp).toEqual({
      enabled: false,
      steps: [10, 100],
      holdMinutes: 15,
    });
    expect(editCanaryRamp(base, 'off')).toBe(base);
    expect(parseRampSteps('10, 50,100')).toEqual([10, 50, 100]);
    expect(parseRampSteps('10,,x')).toEqual([10, Number.NaN, Number.NaN]);
  });

  it('describes a change field by field, a block added or removed whole too', () => {
    expect(describeConfigChange(base, base)).toEqual([]);
    expect(describeConfigChange(base, { ...base, autoSwitch: auto })).toEqual([
      'autoSwitch.enabled: — → true',
      'autoSwitch.rateLimitedPercent: — → 50',
      'autoSwitch.target: — → cloudflare',
      'autoSwitch.windowMinutes: — → 5',
    ]);
    expect(
      describeConfigChange({ canaryRamp: { steps: [10, 100] } }, { canaryRamp: { steps: [5, 100] } }),
    ).toEqual(['canaryRamp.steps: [10,100] → [5,100]']);
  });
});
