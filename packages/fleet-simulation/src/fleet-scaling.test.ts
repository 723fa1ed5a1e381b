import { beforeAll, describe, expect, it } from 'vitest';
import { runSimulation } from './run-simulation.ts';
import type { SimulationReport, StrategyReport } from './simulation-report.ts';
import type { StrategySpec } from './strategy-spec.ts';

const strategies: StrategySpec[] = [
  { kind: 'user-design', label: 'user' },
  { kind: 'resolver', label: 'ours', document: { cacheTtlSeconds: 15 } },
  { kind: 'resolver', label: 'ours, defaults' },
];

function byLabel(report: SimulationReport, label: string): StrategyReport {
  const found = report.strategies.find((s) => s.label === label);
  if (!found) throw new Error(`no strategy ${label}`);
  return found;
}

/** Control-plane load of the same day at 1,000 and 10,000 installs. */
describe('control-plane load against fleet size', () => {
  let small: SimulationReport;
  let large: SimulationReport;
  let smallCoalesced: SimulationReport;
  let largeCoalesced: SimulationReport;
  beforeAll(() => {
    const base = { hours: 24, seed: 1, rateLimitEpisode: null, strategies };
    const uncoalesced = { ...base, network: { edgeSingleFlight: false } };
    small = runSimulation({ ...uncoalesced, installs: 1000 });
    large = runSimulation({ ...uncoalesced, installs: 10_000 });
    const coalesced = { ...base, strategies: strategies.slice(1), network: { edgeSingleFlight: true } };
    smallCoalesced = runSimulation({ ...coalesced, installs: 1000 });
    largeCoalesced = runSimulation({ ...coalesced, installs: 10_000 });
  }, 120_000);

  it("user's design: Supabase load grows in step with the fleet", () => {
    const ratio =
      byLabel(large, 'user').controlPlane.meanPerHour / byLabel(small, 'user').controlPlane.meanPerHour;
    expect(ratio).toBeGreaterThan(8);
    expect(ratio).toBeLessThan(12);
  });

  it('ours: every hour stays under one Supabase read per data centre per CONFIG_CACHE_SECONDS when misses are coalesced, at 1,000 and at 10,000 installs', () => {
    for (const report of [smallCoalesced, largeCoalesced]) {
      for (const s of report.strategies) {
        const ceiling = s.controlPlaneCeilingPerHour as number;
        expect(ceiling).toBe(20 * 240);
        for (const hour of s.controlPlane.perHour) expect(hour).toBeLessThanOrEqual(ceiling);
      }
    }
    // Ten times the fleet, nearly the same busiest hour: the data centres are already saturated.
    const peak = (r: SimulationReport) => byLabel(r, 'ours').controlPlane.peakPerHour;
    expect(peak(largeCoalesced) / peak(smallCoalesced)).toBeLessThan(1.5);
  });

  it('ours without coalescing at the edge: far from linear, but concurrent misses add load that grows with the fleet', () => {
    for (const label of ['ours', 'ours, defaults']) {
      const ratio =
        byLabel(large, label).controlPlane.meanPerHour / byLabel(small, label).controlPlane.meanPerHour;
      expect(ratio).toBeLessThan(4.5);
    }
    const ours = byLabel(large, 'ours');
    expect(ours.controlPlane.peakPerHour).toBeGreaterThan(ours.controlPlaneCeilingPerHour as number);
    expect(ours.controlPlane.meanPerHour).toBeLessThan(byLabel(large, 'user').controlPlane.meanPerHour);
  });

  it('the edge answers the config requests themselves, which do grow with the fleet', () => {
    const ratio =
      byLabel(large, 'ours').edgeConfig.meanPerHour / byLabel(small, 'ours').edgeConfig.meanPerHour;
    expect(ratio).toBeGreaterThan(8);
  });
});
