import { USAGE_REPORT_LIMITS } from '@cartae/marketplace-core';

/**
 * The resolver's side of fleet telemetry, per install, as `UsageCollector`, `reportDue` and
 * `UsageReporter` (packages/marketplace-resolver/src/telemetry/) and the HTTP config provider
 * decide it: requests and rate limits counted per source and wall-clock minute; at most
 * {@link MAX_CLOSED_MINUTES} closed minutes held, in memory only (lost when the app closes); a
 * background config poll that follows an answered one carries at most one report a minute, the
 * newest closed minute first. No request is ever made for a report.
 */

/** `MAX_CLOSED_MINUTES` of the resolver's `UsageCollector`. */
export const MAX_CLOSED_MINUTES = 3;
const MINUTE = 60_000;

/** Start of the minute `now` falls in (the resolver's `minuteOf`). */
export function minuteOf(now: number): number {
  return now - (((now % MINUTE) + MINUTE) % MINUTE);
}

/**
 * The resolver's `reportDue`, rule for rule: which closed minute a poll at `now` carries (none if
 * one was handed out this wall-clock minute; the newest closed minute first) and which closed
 * minutes are too old for the edge (`USAGE_REPORT_LIMITS.maxSkewMs`). A test checks it against
 * the resolver's own function. Pure.
 */
export function reportDue(
  closed: readonly number[],
  lastSentAt: number | undefined,
  now: number,
): { readonly send: number | undefined; readonly expired: readonly number[] } {
  const expired = closed.filter((minute) => now - minute > USAGE_REPORT_LIMITS.maxSkewMs);
  const current = minuteOf(now);
  if (lastSentAt !== undefined && minuteOf(lastSentAt) >= current) return { send: undefined, expired };
  let send: number | undefined;
  for (const minute of closed) {
    if (minute < current && !expired.includes(minute) && (send === undefined || minute > send)) send = minute;
  }
  return { send, expired };
}

/** One install's counts for one minute: what a usage report carries that the simulation uses. */
export interface MinuteTally {
  readonly minute: number;
  /** Config version in use at the minute's last event. */
  version: number;
  gitRequests: number;
  gitRateLimited: number;
  cdnRequests: number;
  cdnRateLimited: number;
}

interface InstallState {
  current: MinuteTally | undefined;
  readonly closed: MinuteTally[];
  lastSentAt: number | undefined;
  /** The HTTP config provider's `lastAnswered`: a report rides only on a poll after an answered one. */
  answered: boolean;
}

/** What the per-install side lost, whole period. */
export interface InstallUsageLosses {
  /** Closed minutes dropped past {@link MAX_CLOSED_MINUTES}, or too old to be accepted. */
  dropped: number;
  /** Minutes held in memory when the app closed. */
  lostOnExit: number;
}

/** Every install's collector and reporter. */
export class InstallUsage {
  private readonly states: InstallState[];
  readonly losses: InstallUsageLosses = { dropped: 0, lostOnExit: 0 };

  constructor(installs: number) {
    this.states = Array.from({ length: installs }, () => ({
      current: undefined,
      closed: [],
      lastSentAt: undefined,
      answered: false,
    }));
  }

  /** A new app process: nothing held, the config provider has answered nothing yet. */
  sessionStart(install: number): void {
    const s = this.states[install] as InstallState;
    s.current = undefined;
    s.closed.length = 0;
    s.lastSentAt = undefined;
    s.answered = false;
  }

  /** The app closes: what it held is lost (reports wait in memory only). */
  sessionEnd(install: number): void {
    const s = this.states[install] as InstallState;
    this.losses.lostOnExit += s.closed.length + (s.current === undefined ? 0 : 1);
    s.current = undefined;
    s.closed.length = 0;
  }

  /** A config poll was answered. */
  pollAnswered(install: number): void {
    (this.states[install] as InstallState).answered = true;
  }

  /** One attempt at a source (user request or probe), as the judgement counted it. */
  attempt(install: number, git: boolean, rateLimited: boolean, version: number, now: number): void {
    const s = this.states[install] as InstallState;
    const start = minuteOf(now);
    let t = s.current;
    if (t === undefined || t.minute < start) {
      if (t !== undefined) this.close(s);
      t = { minute: start, version, gitRequests: 0, gitRateLimited: 0, cdnRequests: 0, cdnRateLimited: 0 };
      s.current = t;
    }
    t.version = version;
    if (git) {
      t.gitRequests++;
      if (rateLimited) t.gitRateLimited++;
    } else {
      t.cdnRequests++;
      if (rateLimited) t.cdnRateLimited++;
    }
  }

  /**
   * A background config poll at `now`: the report it carries, if any (`UsageReporter.next` behind
   * the provider's `lastAnswered` check). The report counts as delivered: the edge always answers.
   */
  reportForPoll(install: number, now: number): MinuteTally | undefined {
    const s = this.states[install] as InstallState;
    if (!s.answered) return undefined;
    const minute = minuteOf(now);
    // Nothing closed and nothing to close: no report (most polls; what reportDue says, without allocating).
    if (s.closed.length === 0 && (s.current === undefined || s.current.minute >= minute)) return undefined;
    if (s.current !== undefined && s.current.minute < minute) this.close(s);
    const due = reportDue(
      s.closed.map((m) => m.minute),
      s.lastSentAt,
      now,
    );
    for (const minute of due.expired) this.remove(s, minute, true);
    if (due.send === undefined) return undefined;
    const tally = s.closed.find((m) => m.minute === due.send);
    s.lastSentAt = now;
    this.remove(s, due.send, false);
    return tally;
  }

  private close(s: InstallState): void {
    const done = s.current;
    s.current = undefined;
    if (done === undefined) return;
    s.closed.push(done);
    if (s.closed.length > MAX_CLOSED_MINUTES) {
      s.closed.shift();
      this.losses.dropped++;
    }
  }

  private remove(s: InstallState, minute: number, dropped: boolean): void {
    const index = s.closed.findIndex((m) => m.minute === minute);
    if (index < 0) return;
    s.closed.splice(index, 1);
    if (dropped) this.losses.dropped++;
  }
}
