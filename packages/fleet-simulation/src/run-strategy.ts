import type { ActivityPlan } from './activity-plan.ts';
import type { EventQueue } from './event-queue.ts';
import type { MetricsRecorder } from './metrics-recorder.ts';
import type { StrategyModel } from './strategy-model.ts';

/** Engine event kinds (models use MODEL_EVENT_BASE and up). */
const SESSION_START = 0;
const SESSION_END = 1;
const USER_REQUEST = 2;
const SWITCH = 3;

/** What the engine reports back besides the metrics. */
export interface EngineRun {
  readonly events: number;
  readonly peakOpenApps: number;
}

/**
 * The virtual-time loop: loads the day's plan into the queue, then pops events in time order
 * and hands them to the strategy model until `horizonMs`. `onTick` gets the simulated time
 * about every 1 % of the horizon (for a progress bar).
 */
export function runStrategy(
  queue: EventQueue,
  plan: ActivityPlan,
  model: StrategyModel,
  metrics: MetricsRecorder,
  options: {
    readonly horizonMs: number;
    readonly switchAt: number;
    readonly installs: number;
    /** The version the admin's switch writes, asked at the switch. */
    readonly switchVersion: () => number;
  },
  onTick: (simulatedMs: number) => void,
): EngineRun {
  for (let s = 0; s < plan.sessionCount; s++) {
    queue.push(plan.sessionStart[s] as number, SESSION_START, plan.sessionInstall[s] as number, s);
    queue.push(plan.sessionEnd[s] as number, SESSION_END, plan.sessionInstall[s] as number, s);
  }
  for (let r = 0; r < plan.requestCount; r++) {
    queue.push(plan.requestAt[r] as number, USER_REQUEST, plan.requestInstall[r] as number, r);
  }
  if (options.switchAt < options.horizonMs) queue.push(options.switchAt, SWITCH, -1);

  const open = new Uint8Array(options.installs);
  let openCount = 0;
  let peakOpenApps = 0;
  let events = 0;
  const tickEvery = options.horizonMs / 100;
  let nextTick = tickEvery;
  while (queue.pop()) {
    const now = queue.time;
    if (now >= options.horizonMs) break;
    events++;
    while (now >= nextTick) {
      onTick(nextTick);
      nextTick += tickEvery;
    }
    const install = queue.eventTarget;
    switch (queue.eventKind) {
      case SESSION_START:
        open[install] = 1;
        openCount++;
        if (openCount > peakOpenApps) peakOpenApps = openCount;
        model.sessionStart(install, now);
        break;
      case SESSION_END:
        open[install] = 0;
        openCount--;
        model.sessionEnd(install, now);
        metrics.closed(install);
        break;
      case USER_REQUEST:
        model.userRequest(install, plan.requestKind[queue.eventArg] as number, now);
        break;
      case SWITCH: {
        const target = options.switchVersion();
        for (let i = 0; i < options.installs; i++) {
          if (open[i] === 1) metrics.openAtSwitch(i, model.versionOf(i), target);
        }
        break;
      }
      default:
        model.timer(queue.eventKind, install, queue.eventArg, now);
    }
  }
  // Apps still open at the end that never adopted the switch count as not adopted.
  for (let i = 0; i < options.installs; i++) if (open[i] === 1) metrics.closed(i);
  onTick(options.horizonMs);
  return { events, peakOpenApps };
}
