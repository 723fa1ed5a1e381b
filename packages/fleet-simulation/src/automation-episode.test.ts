import { beforeAll, describe, expect, it } from 'vitest';
import { runSimulation } from './run-simulation.ts';
import { AUTO_SWITCH_EXAMPLE } from './simulation-options.ts';
import type { SimulationReport, StrategyReport } from './simulation-report.ts';

const HOUR = 3_600_000;

/**
 * The 429 episode (10:00, 40 min) run twice on the same day: our defaults, and the same with the
 * automatic switch enabled in the config document (the admin panel's suggestion: 70 % over 10
 * min → hybrid-cdn-first). Telemetry rides on the edge polls in both.
 */
describe('automatic switch during the Git rate-limit episode', () => {
  let report: SimulationReport;
  const get = (i: number) => report.strategies[i] as StrategyReport;
  beforeAll(() => {
    report = runSimulation({
      installs: 10_000,
      hours: 12,
      seed: 1,
      switchAtHour: null,
      strategies: [{ kind: 'resolver' }, { kind: 'resolver', document: { autoSwitch: AUTO_SWITCH_EXAMPLE } }],
    });
  }, 120_000);

  it('the control plane switches the fleet once, within the episode, on the evidence the SQL requires', () => {
    const a = get(1).automation;
    expect(get(0).automation).toBeNull();
    expect(a?.switches).toBe(1);
    expect(a?.switchedAtMs).toBeGreaterThan(10 * HOUR);
    // The window must fill with rate-limited minutes first, plus the reports' way to the control plane.
    expect(a?.episodeToSwitchMs).toBeGreaterThanOrEqual(5 * 60_000);
    expect(a?.episodeToSwitchMs).toBeLessThan(15 * 60_000);
    const e = a?.evidence;
    expect(e?.installs).toBeGreaterThanOrEqual(20);
    expect(e?.requests).toBeGreaterThanOrEqual(100);
    expect((e?.rateLimited ?? 0) * 100).toBeGreaterThanOrEqual(70 * (e?.requests ?? 0));
    expect((e?.rateLimitedInstallMinutes ?? 0) * 100).toBeGreaterThanOrEqual(70 * (e?.installMinutes ?? 0));
  });

  it('open apps follow it within their 15 s poll plus the edge cache', () => {
    const p = get(1).automation?.propagation;
    expect(p?.runningAtSwitch).toBeGreaterThan(100);
    expect(p?.p99Ms).toBeLessThanOrEqual(15_000 + 15_000 + 40 + 2 * 120);
  });

  it('far fewer Git requests are rate-limited during the episode; users see no error either way', () => {
    const without = get(0).episode;
    const withAuto = get(1).episode;
    expect(withAuto?.gitRateLimited).toBeLessThan((without?.gitRateLimited ?? 0) / 2);
    expect(without?.userFailed).toBe(0);
    expect(withAuto?.userFailed).toBe(0);
  });

  it('telemetry adds no Worker request and stays within the Worker’s bounds', () => {
    for (const s of report.strategies) {
      const t = s.telemetry;
      expect(t).not.toBeNull();
      expect(t?.extraWorkerRequests).toBe(0);
      t?.reportCarryingPolls.perHour.forEach((polls, h) => {
        // Reports ride on config polls: never more than the polls themselves.
        expect(polls).toBeLessThanOrEqual(s.edgeConfig.perHour[h] ?? 0);
      });
      expect(t?.controlPlaneWrites.peakPerHour).toBeLessThanOrEqual(t?.controlPlaneWriteCeilingPerHour ?? 0);
      // A checkpoint at most every 10 s per shard, plus one at each alarm.
      expect(t?.checkpoints.peakPerHour).toBeLessThanOrEqual((t?.shards ?? 0) * (360 + 60 * 3));
      expect(t?.reportsAccepted).toBeGreaterThan(0);
      expect(t?.evaluationsPerHour).toBe(60);
    }
  });
});

describe('automatic switch: the evidence guard on a small fleet', () => {
  it('1,000 installs never show 20 Git installs in a minute: no switch, by design of the guard', () => {
    const report = runSimulation({
      installs: 1000,
      hours: 11,
      seed: 1,
      switchAtHour: null,
      strategies: [{ kind: 'resolver', document: { autoSwitch: AUTO_SWITCH_EXAMPLE } }],
    });
    const a = report.strategies[0]?.automation;
    expect(a?.switchedAtMs).toBeNull();
    expect(a?.evaluations).toBe(11 * 60 - 1);
  });
});
