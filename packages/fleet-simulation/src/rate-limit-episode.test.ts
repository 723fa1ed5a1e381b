import { beforeAll, describe, expect, it } from 'vitest';
import { runSimulation } from './run-simulation.ts';
import type { SimulationReport, StrategyReport } from './simulation-report.ts';

/** A Git-only fleet (no switch) when Git refuses everyone from 10:00 for 40 minutes. */
describe('Git rate-limit episode', () => {
  let report: SimulationReport;
  const get = (i: number) => report.strategies[i] as StrategyReport;
  beforeAll(() => {
    report = runSimulation({
      installs: 3000,
      hours: 13,
      seed: 2,
      switchAtHour: null,
      rateLimitEpisode: { startHour: 10, minutes: 40 },
      strategies: [
        { kind: 'user-design' },
        { kind: 'resolver' },
        { kind: 'resolver', document: { healthCheckEnabled: false } },
      ],
    });
  }, 60_000);

  it("user's design: every marketplace request during the episode fails", () => {
    const e = get(0).episode;
    expect(e?.userRequests).toBeGreaterThan(100);
    expect(e?.userFailed).toBe(e?.userRequests);
    expect(e?.gitRateLimited).toBe(e?.gitRequests);
  });

  it('ours: no user sees an error; the CDN answers', () => {
    for (const i of [1, 2]) {
      expect(get(i).episode?.userFailed).toBe(0);
      expect(get(i).users.fallbacks).toBeGreaterThan(0);
    }
  });

  it('ours: user traffic to Git shrinks during the episode (ejected until retry-after, then tried again)', () => {
    for (const i of [1, 2]) {
      const e = get(i).episode;
      const userGit = (e?.gitRequests ?? 0) - (e?.gitProbes ?? 0);
      expect(userGit).toBeLessThan(get(0).episode?.gitRequests ?? 0);
    }
  });

  it('ours with healthCheckEnabled false: Git gets fewer requests during the episode than just before it', () => {
    const e = get(2).episode;
    expect(e?.gitProbes).toBe(0);
    expect(e?.gitRequestsPerMinute).toBeLessThan(e?.gitRequestsPerMinuteBefore ?? 0);
  });

  it('ours with its defaults: a rate-limited Git is never probed, so Git gets fewer requests during the episode than before it (SPEC 4.4)', () => {
    const e = get(1).episode;
    expect(e?.gitProbes).toBe(0);
    expect(e?.gitRequestsPerMinute).toBeLessThan(e?.gitRequestsPerMinuteBefore ?? 0);
  });

  it('ours: after the episode Git is re-admitted and answers again', () => {
    const s = get(1);
    const bins = s.series.git;
    const after = bins.slice((11 * 60) / 5, (13 * 60) / 5).reduce((a, b) => a + b, 0);
    expect(after).toBeGreaterThan(0);
  });
});
