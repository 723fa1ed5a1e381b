/**
 * What asks a running stack to stop: Ctrl-C (SIGINT), a supervisor or `kill` (SIGTERM), a closed
 * terminal (SIGHUP, sent to the whole process group), or the process that started us vanishing
 * without a word (npm's `sh -c` dies of a SIGTERM aimed at npm alone and passes nothing on).
 */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export type StopReason = (typeof STOP_SIGNALS)[number] | 'parent-exit';

export interface StopRequests {
  /** Resolves with the first request. */
  readonly requested: Promise<StopReason>;
  /** Removes the handlers: from then on these signals end the process as by default. */
  dispose(): void;
}

/**
 * Listens for stop requests. The handlers stay until `dispose()`, so a request that comes while
 * the stack stops (a second Ctrl-C; the same SIGINT from the terminal and from `npm start`'s
 * bootstrap; SIGHUP to the group and forwarded) cannot end the process half way and orphan the
 * Worker. `onRepeat` hears of a later request once, unless it came within `repeatQuietMs` of the
 * first (a duplicate of it, not a person insisting).
 */
export function listenForStopRequests(
  options: { onRepeat?: () => void; repeatQuietMs?: number; parentPollMs?: number } = {},
): StopRequests {
  const { onRepeat, repeatQuietMs = 1_000, parentPollMs = 250 } = options;
  let first: number | undefined;
  let told = false;
  let resolveRequested: (reason: StopReason) => void = () => {};
  const requested = new Promise<StopReason>((resolve) => {
    resolveRequested = resolve;
  });
  const request = (reason: StopReason) => {
    if (first === undefined) {
      first = Date.now();
      resolveRequested(reason);
    } else if (!told && Date.now() - first >= repeatQuietMs) {
      told = true;
      onRepeat?.();
    }
  };
  for (const signal of STOP_SIGNALS) process.on(signal, request);
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent) request('parent-exit');
  }, parentPollMs);
  watch.unref();
  return {
    requested,
    dispose() {
      clearInterval(watch);
      for (const signal of STOP_SIGNALS) process.removeListener(signal, request);
    },
  };
}
