import { DEFAULT_MARKETPLACE_CONFIG, type MarketplaceSourceConfig } from '@cartae/marketplace-core';
import { describe, expect, it } from 'vitest';
import {
  AUTO_SWITCH_GUARDS,
  evaluateAutoSwitch,
  type GitMinute,
  USAGE_SETTLE_DELAY_MS,
  windowEvidence,
} from './auto-switch-rule.ts';

const MINUTE = 60_000;
const config: MarketplaceSourceConfig = {
  ...DEFAULT_MARKETPLACE_CONFIG,
  autoSwitch: { enabled: true, rateLimitedPercent: 70, windowMinutes: 10, target: 'hybrid-cdn-first' },
};

/** Ten minutes (0..9) of Git usage, each with the given figures. */
function minutes(row: GitMinute, count = 10): Map<number, GitMinute> {
  return new Map(Array.from({ length: count }, (_, m) => [m * MINUTE, { ...row }]));
}
/** An evaluation 35 s into minute 10: judged 30 s back, minutes 0–9 are all delivered. */
const now = 10 * MINUTE + 35_000;
const judged = now - USAGE_SETTLE_DELAY_MS;

describe('evaluateAutoSwitch (evaluate_fleet_automation)', () => {
  it('sums the complete minutes of the window only; installs are the busiest minute’s', () => {
    const m = minutes({ requests: 10, rateLimited: 8, installs: 5, rateLimitedInstalls: 4 }, 11);
    (m.get(3 * MINUTE) as GitMinute).installs = 9;
    const e = windowEvidence(m, 10, now);
    expect(e).toMatchObject({ requests: 100, rateLimited: 80, installs: 9, installMinutes: 54 });
  });

  it('judges as of 30 s ago: the minute whose reports still arrive is not in the window', () => {
    const full = minutes({ requests: 10, rateLimited: 10, installs: 20, rateLimitedInstalls: 20 });
    const early = evaluateAutoSwitch(config, full, undefined, 10 * MINUTE + 5_000);
    expect(early).toMatchObject({
      action: 'none',
      evidence: { from: -MINUTE, to: 9 * MINUTE, requests: 90 },
    });
    expect(evaluateAutoSwitch(config, full, undefined, now)).toMatchObject({
      action: 'switched',
      evidence: { from: 0, to: 10 * MINUTE, requests: 100 },
    });
  });

  it('switches to the target once every guard is met, keeping the other fields', () => {
    const d = evaluateAutoSwitch(
      config,
      minutes({ requests: 10, rateLimited: 7, installs: 20, rateLimitedInstalls: 14 }),
      undefined,
      now,
    );
    expect(d.action).toBe('switched');
    if (d.action === 'switched') {
      expect(d.config).toMatchObject({
        type: 'hybrid',
        priority: ['cloudflare', 'git'],
        autoSwitch: config.autoSwitch,
      });
    }
  });

  it('holds back: off, on target, too little evidence, below the threshold, too few installs, cooling down', () => {
    const full = minutes({ requests: 10, rateLimited: 10, installs: 20, rateLimitedInstalls: 20 });
    const reason = (c: MarketplaceSourceConfig, m: Map<number, GitMinute>, last?: number) => {
      const d = evaluateAutoSwitch(c, m, last, now);
      return d.action === 'none' ? d.reason : d.action;
    };
    expect(reason(DEFAULT_MARKETPLACE_CONFIG, full)).toBe('off');
    expect(reason({ ...config, type: 'hybrid', priority: ['cloudflare', 'git'] }, full)).toBe('on-target');
    expect(
      reason(
        config,
        minutes({
          requests: 10,
          rateLimited: 10,
          installs: AUTO_SWITCH_GUARDS.minInstalls - 1,
          rateLimitedInstalls: 19,
        }),
      ),
    ).toBe('not-enough-evidence');
    expect(
      reason(config, minutes({ requests: 9, rateLimited: 9, installs: 20, rateLimitedInstalls: 20 })),
    ).toBe('not-enough-evidence');
    expect(
      reason(config, minutes({ requests: 10, rateLimited: 0, installs: 20, rateLimitedInstalls: 0 })),
    ).toBe('no-rate-limit');
    expect(
      reason(config, minutes({ requests: 100, rateLimited: 69, installs: 20, rateLimitedInstalls: 20 })),
    ).toBe('below-threshold');
    // A few installs claiming huge counts do not outvote the fleet.
    expect(
      reason(config, minutes({ requests: 100, rateLimited: 100, installs: 20, rateLimitedInstalls: 2 })),
    ).toBe('too-few-installs');
    expect(reason(config, full, judged - 30 * MINUTE)).toBe('cooling-down');
    expect(reason(config, full, judged - 60 * MINUTE + 1)).toBe('cooling-down');
    expect(reason(config, full, judged - 60 * MINUTE)).toBe('switched');
  });
});
