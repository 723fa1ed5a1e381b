import { describe, expect, it } from 'vitest';
// The resolver's own rule, to check the simulation's copy against it (the function is internal to
// the resolver, not exported by its package).
import { reportDue as resolverReportDue } from '../../marketplace-resolver/src/telemetry/report-schedule.ts';
import { InstallUsage, MAX_CLOSED_MINUTES, reportDue } from './install-usage.ts';
import { createPrng } from './prng.ts';

const MINUTE = 60_000;

describe('reportDue (the resolver’s rule, copied)', () => {
  it('decides as the resolver does, on many random cases', () => {
    const rng = createPrng(7, 'report-due');
    for (let i = 0; i < 2000; i++) {
      const now = 3_600_000 + Math.floor(rng.next() * 30 * MINUTE);
      const closed = Array.from(
        { length: Math.floor(rng.next() * 5) },
        () => Math.floor((now - rng.next() * 15 * MINUTE) / MINUTE) * MINUTE,
      );
      const lastSentAt = rng.next() < 0.3 ? undefined : now - Math.floor(rng.next() * 3 * MINUTE);
      expect(reportDue(closed, lastSentAt, now)).toEqual(resolverReportDue(closed, lastSentAt, now));
    }
  });
});

describe('InstallUsage', () => {
  it('a report rides only on a poll after an answered one, one a wall-clock minute, the newest closed minute first', () => {
    const usage = new InstallUsage(1);
    usage.sessionStart(0);
    usage.attempt(0, true, true, 1, 10 * MINUTE + 5_000);
    usage.attempt(0, false, false, 1, 10 * MINUTE + 6_000);
    usage.attempt(0, true, false, 1, 11 * MINUTE + 1_000);
    // Not answered yet: the first poll of a session is a plain GET.
    expect(usage.reportForPoll(0, 12 * MINUTE + 1_000)).toBeUndefined();
    usage.pollAnswered(0);
    const first = usage.reportForPoll(0, 12 * MINUTE + 16_000);
    expect(first).toMatchObject({ minute: 11 * MINUTE, gitRequests: 1, gitRateLimited: 0 });
    // Same wall-clock minute: nothing more.
    expect(usage.reportForPoll(0, 12 * MINUTE + 31_000)).toBeUndefined();
    const second = usage.reportForPoll(0, 13 * MINUTE + 1_000);
    expect(second).toMatchObject({ minute: 10 * MINUTE, gitRequests: 1, gitRateLimited: 1, cdnRequests: 1 });
    expect(usage.reportForPoll(0, 14 * MINUTE + 1_000)).toBeUndefined();
  });

  it(`holds at most ${MAX_CLOSED_MINUTES} closed minutes, and loses what it holds when the app closes`, () => {
    const usage = new InstallUsage(1);
    usage.sessionStart(0);
    for (let m = 0; m < 6; m++) usage.attempt(0, true, false, 1, m * MINUTE);
    // Minutes 0–4 closed (5 still open); 0 and 1 were pushed out.
    usage.pollAnswered(0);
    expect(usage.reportForPoll(0, 5 * MINUTE + 10_000)?.minute).toBe(4 * MINUTE);
    expect(usage.losses.dropped).toBe(2);
    usage.sessionEnd(0);
    // Minutes 2 and 3 closed, 5 open.
    expect(usage.losses.lostOnExit).toBe(3);
  });

  it('drops closed minutes too old for the edge to accept', () => {
    const usage = new InstallUsage(1);
    usage.sessionStart(0);
    usage.attempt(0, true, false, 1, 0);
    usage.pollAnswered(0);
    expect(usage.reportForPoll(0, 12 * MINUTE)).toBeUndefined();
    expect(usage.losses.dropped).toBe(1);
  });
});
