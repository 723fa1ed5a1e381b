import { describe, expect, it } from 'vitest';
import { planActivity } from './activity-plan.ts';
import { DEFAULT_ACTIVITY } from './simulation-options.ts';

const HOUR = 3_600_000;

describe('planActivity', () => {
  const plan = planActivity(3000, 24, 1, DEFAULT_ACTIVITY);

  it('never opens one install twice at the same time, and keeps sessions inside the day', () => {
    const byInstall = new Map<number, [number, number][]>();
    for (let s = 0; s < plan.sessionCount; s++) {
      const start = plan.sessionStart[s] as number;
      const end = plan.sessionEnd[s] as number;
      expect(start).toBeGreaterThanOrEqual(0);
      expect(end).toBeGreaterThan(start);
      expect(end).toBeLessThanOrEqual(24 * HOUR);
      const list = byInstall.get(plan.sessionInstall[s] as number) ?? [];
      list.push([start, end]);
      byInstall.set(plan.sessionInstall[s] as number, list);
    }
    for (const list of byInstall.values()) {
      list.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < list.length; i++) {
        expect((list[i] as [number, number])[0]).toBeGreaterThan((list[i - 1] as [number, number])[1]);
      }
    }
  });

  it('makes every marketplace request while its app is open', () => {
    const sessions = new Map<number, [number, number][]>();
    for (let s = 0; s < plan.sessionCount; s++) {
      const install = plan.sessionInstall[s] as number;
      sessions.set(install, [
        ...(sessions.get(install) ?? []),
        [plan.sessionStart[s] as number, plan.sessionEnd[s] as number],
      ]);
    }
    for (let r = 0; r < plan.requestCount; r++) {
      const at = plan.requestAt[r] as number;
      const open = (sessions.get(plan.requestInstall[r] as number) ?? []).some(([s, e]) => at >= s && at < e);
      expect(open).toBe(true);
    }
  });

  it('follows the day: far more apps open at 10:00 than at 03:00', () => {
    const openAt = (hour: number) => {
      let count = 0;
      for (let s = 0; s < plan.sessionCount; s++) {
        if ((plan.sessionStart[s] as number) <= hour * HOUR && (plan.sessionEnd[s] as number) > hour * HOUR)
          count++;
      }
      return count;
    };
    expect(openAt(10)).toBeGreaterThan(4 * openAt(3));
  });

  it('has roughly the configured volume', () => {
    // 3000 × 0.6 active × 2.5 sessions ≈ 4500 before merging overlaps.
    expect(plan.sessionCount).toBeGreaterThan(3500);
    expect(plan.sessionCount).toBeLessThan(5000);
    expect(plan.requestCount).toBeGreaterThan(plan.sessionCount);
  });

  it('is the same for the same seed', () => {
    const again = planActivity(3000, 24, 1, DEFAULT_ACTIVITY);
    expect(again.requestAt).toEqual(plan.requestAt);
    expect(planActivity(3000, 24, 2, DEFAULT_ACTIVITY).requestCount).not.toBe(plan.requestCount);
  });
});
