import { ROLLOUT_GUARD_DEFAULTS } from '@cartae/marketplace-core';
import { describe, expect, it } from 'vitest';
import { documentFromDraft, draftOf } from './config-draft.ts';
import { canaryRampDraftOf, parseSteps, ROLLOUT_MESSAGES, rolloutGuardDraftOf } from './rollout-draft.ts';

const HYBRID = {
  type: 'hybrid',
  priority: ['cloudflare', 'git'],
  canaryPercent: 10,
  gitUrl: 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json',
  cloudflareUrl: 'https://marketplace.cartae.com',
  cacheTtlSeconds: 300,
  healthCheckEnabled: true,
  fallbackOnError: true,
};

describe('rolloutGuard and canaryRamp drafts', () => {
  it('show the database defaults for an absent guard and an off ramp for an absent one', () => {
    expect(rolloutGuardDraftOf(undefined)).toEqual({ enabled: true, errorPercent: '5', windowMinutes: '10' });
    expect(rolloutGuardDraftOf({ enabled: false, errorPercent: 2.5, windowMinutes: 30 })).toEqual({
      enabled: false,
      errorPercent: '2.5',
      windowMinutes: '30',
    });
    expect(canaryRampDraftOf(undefined)).toEqual({ enabled: false, steps: '10, 50, 100', holdMinutes: '60' });
    expect(canaryRampDraftOf({ enabled: true, steps: [5, 100], holdMinutes: 30 })).toEqual({
      enabled: true,
      steps: '5, 100',
      holdMinutes: '30',
    });
  });

  it('reads steps from a comma list', () => {
    expect(parseSteps('10, 25 ,50,100')).toEqual([10, 25, 50, 100]);
    expect(parseSteps('10, 25,')).toEqual([10, 25]);
    expect(parseSteps('10, half')).toBeUndefined();
    expect(parseSteps('  ')).toBeUndefined();
  });
});

describe('documentFromDraft with rolloutGuard and canaryRamp', () => {
  it('leaves an absent guard absent while the form holds the defaults (no change to save)', () => {
    const result = documentFromDraft(draftOf(HYBRID), HYBRID);
    expect(result).toEqual({ ok: true, document: HYBRID });
  });

  it('writes the guard and the ramp once changed, keeping unknown keys inside them', () => {
    const base = { ...HYBRID, rolloutGuard: { ...ROLLOUT_GUARD_DEFAULTS, note: 'kept' } };
    const draft = draftOf(base);
    draft.rolloutGuard = { enabled: true, errorPercent: '2', windowMinutes: '30' };
    draft.canaryRamp = { enabled: true, steps: '10, 50, 100', holdMinutes: '45' };
    const result = documentFromDraft(draft, base);
    expect(result.ok && result.document).toMatchObject({
      rolloutGuard: { enabled: true, errorPercent: 2, windowMinutes: 30, note: 'kept' },
      canaryRamp: { enabled: true, steps: [10, 50, 100], holdMinutes: 45 },
    });
    const off = draftOf(HYBRID);
    off.rolloutGuard.enabled = false;
    const saved = documentFromDraft(off, HYBRID);
    expect(saved.ok && saved.document.rolloutGuard).toEqual({
      enabled: false,
      errorPercent: 5,
      windowMinutes: 10,
    });
  });

  it("keys each field's error on its control, in the validator's words", () => {
    const draft = draftOf(HYBRID);
    draft.rolloutGuard = { enabled: true, errorPercent: 'lots', windowMinutes: '2000' };
    draft.canaryRamp = { enabled: true, steps: '50, 10', holdMinutes: '' };
    const result = documentFromDraft(draft, HYBRID);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual({
      'rolloutGuard.errorPercent': ROLLOUT_MESSAGES.errorPercent,
      'rolloutGuard.windowMinutes': ROLLOUT_MESSAGES.windowMinutes,
      'canaryRamp.holdMinutes': ROLLOUT_MESSAGES.holdMinutes,
      'canaryRamp.steps': ROLLOUT_MESSAGES.steps,
    });
    expect(ROLLOUT_MESSAGES.steps).toBe(
      'canaryRamp.steps must be 1 to 10 whole percentages between 1 and 100, increasing, the last 100',
    );
  });
});
