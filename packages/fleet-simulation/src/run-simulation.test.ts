import { describe, expect, it } from 'vitest';
import { planActivity } from './activity-plan.ts';
import { runSimulation, type SimulationProgress } from './run-simulation.ts';
import { resolveSimulationOptions, type SimulationOptions } from './simulation-options.ts';

const HOUR = 3_600_000;

describe('runSimulation: determinism and shape', () => {
  const options: SimulationOptions = { installs: 800, seed: 5 };

  it('gives the same report, byte for byte, for the same seed', () => {
    const a = JSON.stringify(runSimulation(options));
    const b = JSON.stringify(runSimulation(options));
    expect(a).toBe(b);
    expect(JSON.stringify(runSimulation({ ...options, seed: 6 }))).not.toBe(a);
  });

  it('returns plain JSON data', () => {
    const report = runSimulation(options);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report.strategies.map((s) => s.spec.kind)).toEqual([
      'user-design',
      'resolver',
      'resolver',
      'resolver',
      'resolver',
    ]);
    expect(report.strategies[0]?.controlPlane.perHour).toHaveLength(24);
    expect(report.strategies[0]?.series.cloudflare).toHaveLength(24 * 12);
  });

  it('reports progress from 0 to 1, never going back', () => {
    const seen: SimulationProgress[] = [];
    runSimulation(
      {
        installs: 200,
        hours: 6,
        switchAtHour: 3,
        rateLimitEpisode: null,
        strategies: [{ kind: 'user-design' }, { kind: 'resolver' }],
      },
      (p) => seen.push(p),
    );
    const fractions = seen.map((p) => p.fraction);
    expect(fractions.length).toBeGreaterThanOrEqual(100);
    for (let i = 1; i < fractions.length; i++) {
      expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1] as number);
    }
    expect(fractions.at(-1)).toBe(1);
    expect(seen.at(-1)).toMatchObject({
      strategyIndex: 1,
      strategyCount: 2,
      simulatedHours: 6,
      totalHours: 6,
    });
  });

  it('refuses wrong options at once, saying what to fix', () => {
    expect(() => runSimulation({ installs: 0 })).toThrow(/installs/);
    expect(() => runSimulation({ hours: 6, switchAtHour: 8 })).toThrow(/switchAtHour/);
    expect(() => runSimulation({ strategies: [{ kind: 'user-design', configTtlSeconds: 1 }] })).toThrow(
      /5\.\.86400/,
    );
    expect(() => runSimulation({ switchTo: { type: 'nowhere', priority: ['r2'] } })).toThrow(
      /switched-to config document/,
    );
    expect(() => runSimulation({ activity: { dailyActiveShare: 2 } })).toThrow(/between 0 and 1/);
  });
});

/** Ten installs that each open the app once for 3–9 hours: easy to follow by hand. */
const small: SimulationOptions = {
  installs: 10,
  hours: 24,
  seed: 3,
  switchAtHour: 12,
  rateLimitEpisode: null,
  activity: { dailyActiveShare: 1, sessionsPerActiveDay: 1, longSessionShare: 1, clockSpreadHours: 0 },
};

/** Sessions open at the switch, from the same plan the simulation draws. */
function openAtSwitch(options: SimulationOptions): { start: number; end: number }[] {
  const o = resolveSimulationOptions(options);
  const plan = planActivity(o.installs, o.hours, o.seed, o.activity);
  const switchAt = (o.switchAtHour ?? 0) * HOUR;
  const open = [];
  for (let s = 0; s < plan.sessionCount; s++) {
    const start = plan.sessionStart[s] as number;
    const end = plan.sessionEnd[s] as number;
    if (start <= switchAt && end > switchAt) open.push({ start, end });
  }
  return open;
}

describe('runSimulation: a ten-install fleet checked by hand', () => {
  it("user's design: each open app adopts at its first 5-minute poll after the switch, plus Supabase's latency", () => {
    const report = runSimulation({ ...small, strategies: [{ kind: 'user-design' }] });
    const switchAt = 12 * HOUR;
    const latency = 120;
    const expected: number[] = [];
    let closed = 0;
    for (const { start, end } of openAtSwitch(small)) {
      // Polls at start, start + 300 s, start + 600 s, …; the first at or after the switch reads v2.
      const poll = start + Math.ceil((switchAt - start) / 300_000) * 300_000;
      if (poll + latency < end) expected.push(poll + latency - switchAt);
      else closed++;
    }
    expected.sort((a, b) => a - b);
    const p = report.strategies[0]?.propagation;
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(p?.runningAtSwitch).toBe(expected.length + closed);
    expect(p?.adopted).toBe(expected.length);
    expect(p?.closedBeforeAdopting).toBe(closed);
    expect(p?.maxMs).toBe(Math.round(expected.at(-1) as number));
    expect(p?.p50Ms).toBe(Math.round(expected[Math.ceil(expected.length / 2) - 1] as number));
    for (const ms of expected) expect(ms).toBeLessThanOrEqual(300_000 + latency);
  });

  it('ours: no open app takes longer than TTL + CONFIG_CACHE_SECONDS + the round trips', () => {
    const report = runSimulation({
      ...small,
      network: { edgeConfigCacheSeconds: 5, edgeLatencyMs: 0, supabaseLatencyMs: 0 },
      strategies: [{ kind: 'resolver', document: { cacheTtlSeconds: 10 } }],
    });
    const p = report.strategies[0]?.propagation;
    expect(p?.runningAtSwitch).toBe(openAtSwitch(small).length);
    expect(p?.adopted).toBe(p?.runningAtSwitch);
    expect(p?.maxMs).toBeLessThanOrEqual(15_000);
    expect(report.strategies[0]?.meetsTarget).toBe(true);
  });

  it('ours without an edge cache: within one TTL (refreshes every 80–100 % of it)', () => {
    const report = runSimulation({
      ...small,
      network: { edgeConfigCacheSeconds: 0, edgeLatencyMs: 0, supabaseLatencyMs: 0 },
      strategies: [{ kind: 'resolver', document: { cacheTtlSeconds: 10 } }],
    });
    expect(report.strategies[0]?.propagation?.maxMs).toBeLessThanOrEqual(10_000);
  });

  it('ours with its defaults (edge endpoint polled every 15 s, TTL 300 s) reaches 30 s: poll + edge cache + round trips', () => {
    const report = runSimulation({ ...small, installs: 300, strategies: [{ kind: 'resolver' }] });
    const s = report.strategies[0];
    expect(s?.propagation?.maxMs).toBeLessThanOrEqual(15_000 + 15_000 + 40 + 2 * 120);
    expect(s?.meetsTarget).toBe(true);
  });

  it('polling only at the 300 s TTL does not reach 30 s, and the report says so', () => {
    const report = runSimulation({
      ...small,
      installs: 300,
      strategies: [{ kind: 'resolver', configPollSeconds: 300 }],
    });
    const s = report.strategies[0];
    expect(s?.propagation?.p99Ms).toBeGreaterThan(200_000);
    expect(s?.propagation?.maxMs).toBeLessThanOrEqual(300_000 + 15_000 + 40 + 2 * 120);
    expect(s?.meetsTarget).toBe(false);
  });

  it('every request of a single-source Git fleet goes to Git, and every one after the switch to the CDN', () => {
    const report = runSimulation({ ...small, installs: 200, strategies: [{ kind: 'user-design' }] });
    const s = report.strategies[0];
    const binsBefore = (12 * 60) / 5;
    const after = s?.series.git.slice(binsBefore + 2) ?? [];
    expect(s?.series.cloudflare.slice(0, binsBefore).every((c) => c === 0)).toBe(true);
    expect(after.every((c) => c === 0)).toBe(true);
  });
});
