import { exponential, logNormal, poisson, standardNormal, uniform } from './distributions.ts';
import { sampleTimeOfDay } from './diurnal-curve.ts';
import { createPrng, type Prng } from './prng.ts';
import type { ActivityOptions } from './simulation-options.ts';

/** What a user asks the marketplace for. */
export const REQUEST_KIND = { registry: 0, plugin: 1 } as const;

/**
 * Everything the users do during the simulated period, drawn once per seed so every strategy
 * faces exactly the same day. Sessions of one install never overlap.
 */
export interface ActivityPlan {
  readonly sessionCount: number;
  readonly sessionInstall: Int32Array;
  readonly sessionStart: Float64Array;
  readonly sessionEnd: Float64Array;
  readonly requestCount: number;
  readonly requestInstall: Int32Array;
  readonly requestAt: Float64Array;
  /** `REQUEST_KIND`: the registry (`api/plugins`) or one plugin (`api/plugins/{id}`). */
  readonly requestKind: Uint8Array;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;

function sessionsOfDay(
  rng: Prng,
  activity: ActivityOptions,
  day: number,
  offset: number,
  sessions: [number, number][],
): void {
  const count = 1 + poisson(rng, activity.sessionsPerActiveDay - 1);
  for (let s = 0; s < count; s++) {
    const start = day * DAY + ((((sampleTimeOfDay(rng) + offset) % DAY) + DAY) % DAY);
    const long = rng.next() < activity.longSessionShare;
    const minutes = long
      ? uniform(rng, 180, 540)
      : Math.max(1, logNormal(rng, activity.sessionMedianMinutes, 1));
    sessions.push([start, start + minutes * MINUTE]);
  }
}

function mergeSessions(sessions: [number, number][]): [number, number][] {
  sessions.sort((a, b) => a[0] - b[0]);
  // One app per install: a session that starts while the app is open extends that session.
  const merged: [number, number][] = [];
  for (const session of sessions) {
    const last = merged[merged.length - 1];
    if (last && session[0] <= last[1]) last[1] = Math.max(last[1], session[1]);
    else merged.push([session[0], session[1]]);
  }
  return merged;
}

class GrowableRequests {
  install: number[] = [];
  at: number[] = [];
  kind: number[] = [];
  add(install: number, at: number, kind: number): void {
    this.install.push(install);
    this.at.push(at);
    this.kind.push(kind);
  }
}

function visitsOfSession(
  rng: Prng,
  activity: ActivityOptions,
  install: number,
  start: number,
  end: number,
  out: GrowableRequests,
): void {
  const visit = (at: number) => {
    out.add(install, at, REQUEST_KIND.registry);
    let t = at;
    const views = poisson(rng, activity.pluginViewsPerBrowse);
    for (let v = 0; v < views; v++) {
      t += uniform(rng, 10_000, 120_000);
      if (t < end) out.add(install, t, REQUEST_KIND.plugin);
    }
  };
  if (rng.next() < activity.browseAtStartChance) {
    const at = start + uniform(rng, 10_000, 180_000);
    if (at < end) visit(at);
  }
  let t = start + exponential(rng, activity.browseEveryMinutes * MINUTE);
  while (t < end) {
    visit(t);
    t += exponential(rng, activity.browseEveryMinutes * MINUTE);
  }
}

/**
 * Draws the fleet's activity for `hours` from midnight: which installs open the app, when, for
 * how long, and when their users browse the marketplace.
 *
 * @example
 * const plan = planActivity(10_000, 24, 1, DEFAULT_ACTIVITY);
 * plan.sessionCount; // ≈ 15,000
 */
export function planActivity(
  installs: number,
  hours: number,
  seed: number,
  activity: ActivityOptions,
): ActivityPlan {
  const rng = createPrng(seed, 'activity');
  const horizon = hours * HOUR;
  const days = Math.ceil(hours / 24);
  const sessionInstall: number[] = [];
  const sessionStart: number[] = [];
  const sessionEnd: number[] = [];
  const requests = new GrowableRequests();
  for (let install = 0; install < installs; install++) {
    // A person's rhythm: earlier or later than the fleet's curve, the same every day.
    const offset = standardNormal(rng) * activity.clockSpreadHours * HOUR;
    const sessions: [number, number][] = [];
    for (let day = 0; day < days; day++) {
      if (rng.next() < activity.dailyActiveShare) sessionsOfDay(rng, activity, day, offset, sessions);
    }
    for (const [start, rawEnd] of mergeSessions(sessions)) {
      if (start >= horizon) continue;
      const end = Math.min(rawEnd, horizon);
      sessionInstall.push(install);
      sessionStart.push(start);
      sessionEnd.push(end);
      visitsOfSession(rng, activity, install, start, end, requests);
    }
  }
  return {
    sessionCount: sessionInstall.length,
    sessionInstall: Int32Array.from(sessionInstall),
    sessionStart: Float64Array.from(sessionStart),
    sessionEnd: Float64Array.from(sessionEnd),
    requestCount: requests.install.length,
    requestInstall: Int32Array.from(requests.install),
    requestAt: Float64Array.from(requests.at),
    requestKind: Uint8Array.from(requests.kind),
  };
}
