/**
 * What Cloudflare's Cron Trigger does in production, done for `wrangler dev`, which never fires
 * crons on its own: once a minute, a second after the minute starts, the Worker's scheduled
 * handler runs through wrangler's `/__scheduled` route (the Worker runs with `--test-scheduled`).
 * The scheduled time is the minute itself, as Cloudflare gives it, so the 5-minute Git mirror
 * keeps its rhythm. `runNow()` runs one at once (tests: one evaluation without waiting for the
 * clock); runs never overlap. With `everyMinute: false` only `runNow()` runs it.
 */
export interface ScheduledTicker {
  runNow(): Promise<void>;
  stop(): void;
}

const MINUTE_MS = 60_000;
const AFTER_MINUTE_STARTS_MS = 1_000;

export function startScheduledTicker(
  workerUrl: string,
  onFailure: (message: string) => void,
  options: { everyMinute: boolean; now?: () => number } = { everyMinute: true },
): ScheduledTicker {
  const now = options.now ?? Date.now;
  let running: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const runOnce = (scheduledTime: number): Promise<void> => {
    const run = running.then(async () => {
      const url = `${workerUrl}/__scheduled?cron=${encodeURIComponent('* * * * *')}&time=${scheduledTime}`;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(50_000) });
        await response.body?.cancel();
        if (!response.ok) onFailure(`the Worker's scheduled run answered HTTP ${response.status}`);
      } catch (error) {
        if (!stopped) onFailure(`the Worker's scheduled run failed: ${(error as Error).message}`);
      }
    });
    running = run;
    return run;
  };

  const schedule = () => {
    if (stopped) return;
    const next = Math.floor(now() / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    timer = setTimeout(
      () => {
        void runOnce(next).finally(schedule);
      },
      next + AFTER_MINUTE_STARTS_MS - now(),
    );
    timer.unref?.();
  };
  if (options.everyMinute) schedule();

  return {
    runNow: () => runOnce(Math.floor(now() / MINUTE_MS) * MINUTE_MS),
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
