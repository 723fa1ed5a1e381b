/** The Git mirror's pace, in minutes, under the once-a-minute Cron Trigger. */
export const MIRROR_EVERY_MINUTES = 5;

/**
 * Whether the Cron Trigger's run at `scheduledTime` (epoch ms, as `controller.scheduledTime`)
 * mirrors Git: on the 5-minute marks (:00, :05, …, UTC), as the former every-5-minute trigger did.
 * The scheduled time, not the clock, decides, so a run that starts late still counts. Pure.
 *
 * @example
 * isMirrorMinute(Date.parse('2026-12-01T10:05:00Z')); // true
 * isMirrorMinute(Date.parse('2026-12-01T10:06:00Z')); // false
 */
export function isMirrorMinute(scheduledTime: number): boolean {
  return Math.floor(scheduledTime / 60_000) % MIRROR_EVERY_MINUTES === 0;
}
