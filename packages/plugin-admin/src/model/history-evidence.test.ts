import { describe, expect, it } from 'vitest';
import { formatEvidence, isAutomaticOrigin, originLabel } from './history-evidence.ts';

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const EVIDENCE = {
  source: 'git',
  from: '2026-11-30T15:10:00.000Z',
  to: '2026-11-30T15:20:00.000Z',
  windowMinutes: 10,
  installs: 57,
  requests: 1234,
  rateLimited: 1017,
  rateLimitedPercent: 82.4,
  installMinutes: 417,
  rateLimitedInstallMinutes: 417,
  rateLimitedInstallsPercent: 100,
  thresholdPercent: 70,
  minInstalls: 20,
  minRequests: 100,
};

describe('originLabel', () => {
  it('names known origins, marks automatic ones, and shows any other string as it is', () => {
    expect(originLabel('admin')).toBe('admin change');
    expect(originLabel('migration')).toBe('installed');
    expect(originLabel('auto-switch')).toBe('Automatic switch');
    expect(originLabel('auto-rollback')).toBe('Automatic rollback');
    expect(originLabel('auto-ramp')).toBe('Canary promoted automatically');
    expect(originLabel('auto-heal')).toBe('auto-heal');
    expect(originLabel('toString')).toBe('toString');
    expect(originLabel(null)).toBe('unknown origin');
    expect(isAutomaticOrigin('auto-heal')).toBe(true);
    expect(isAutomaticOrigin('admin')).toBe(false);
    expect(isAutomaticOrigin(undefined)).toBe(false);
  });
});

describe('formatEvidence', () => {
  it("says the database's figures in words, with nothing left over", () => {
    expect(formatEvidence(EVIDENCE, clock)).toEqual({
      sentences: [
        'Window: 10 min (15:10–15:20).',
        '1,017 of 1,234 Git requests were rate-limited (82.4 %).',
        '417 of 417 install-minutes were rate-limited (100 %).',
        '57 installs reported in the busiest minute.',
        'Threshold: 70 % of requests and of install-minutes.',
        'Needs at least 20 installs and 100 requests.',
      ],
      others: [],
    });
  });

  it('lists unknown keys and figures of an unexpected type as key/value pairs', () => {
    const view = formatEvidence(
      { requests: '1234', rateLimited: 10, healthyCdn: true, probe: { status: 200 }, note: 'canary' },
      clock,
    );
    expect(view.sentences).toEqual([]);
    expect(view.others).toEqual([
      { key: 'requests', value: '1234' },
      { key: 'rateLimited', value: '10' },
      { key: 'healthyCdn', value: 'true' },
      { key: 'probe', value: '{"status":200}' },
      { key: 'note', value: 'canary' },
    ]);
  });

  it('never throws on odd shapes', () => {
    expect(formatEvidence(null)).toEqual({ sentences: [], others: [] });
    expect(formatEvidence(undefined)).toEqual({ sentences: [], others: [] });
    expect(formatEvidence({})).toEqual({ sentences: [], others: [] });
    expect(formatEvidence([1, 2]).others).toEqual([{ key: 'evidence', value: '[1,2]' }]);
    expect(formatEvidence('fired').others).toEqual([{ key: 'evidence', value: 'fired' }]);
    expect(formatEvidence({ windowMinutes: 5, from: 'x', to: 3 }, clock)).toEqual({
      sentences: ['Window: 5 min.'],
      others: [
        { key: 'from', value: 'x' },
        { key: 'to', value: '3' },
      ],
    });
    expect(formatEvidence({ long: 'y'.repeat(300), n: Number.NaN }).others[0]?.value.length).toBe(300);
  });
});

describe('formatEvidence for the rollout guard and the canary ramp', () => {
  it("says an auto-ramp's figures in words (the database's evidence, migration 20261201160000)", () => {
    const ramp = {
      source: 'cloudflare',
      fromPercent: 10,
      toPercent: 50,
      steps: [10, 50, 100],
      holdMinutes: 30,
      from: '2026-12-01T10:00:00.000Z',
      to: '2026-12-01T10:39:00.000Z',
      installs: 25,
      requests: 3900,
      errors: 39,
      errorPercent: 1,
      guardPercent: 5,
      minInstalls: 20,
      minRequests: 100,
    };
    expect(formatEvidence(ramp, clock)).toEqual({
      sentences: [
        'Window: complete minutes (10:00–10:39).',
        '25 installs reported in the busiest minute.',
        'Canary raised from 10 % to 50 % of installs.',
        'Ramp: 10 % → 50 % → 100 %, each held 30 min.',
        '39 of 3,900 CDN requests failed (1 %).',
        'Rollout guard: at most 5 % errors.',
        'Needs at least 20 installs and 100 requests.',
      ],
      others: [],
    });
  });

  it("says an auto-rollback's figures in words, the figures before the change included", () => {
    const view = formatEvidence(
      {
        sources: ['cloudflare', 'git'],
        windowMinutes: 10,
        changedVersion: 17,
        restoredVersion: 16,
        requests: 4000,
        errors: 800,
        errorPercent: 20,
        guardPercent: 5,
        before: { requests: 4000, errors: 4, errorPercent: 0.1 },
      },
      clock,
    );
    expect(view.sentences).toEqual([
      'Window: 10 min.',
      'Version 17 was rolled back to the content of version 16.',
      '800 of 4,000 CDN + Git requests failed (20 %).',
      'Before the change: 4 of 4,000 CDN + Git requests failed (0.1 %).',
      'Rollout guard: at most 5 % errors.',
    ]);
    expect(view.others).toEqual([]);
  });
});
