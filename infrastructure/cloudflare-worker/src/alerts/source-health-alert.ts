import type { SourceHealthChange } from '../automation/fleet-automation-answer.ts';
import type { Alert } from './alert.ts';
import { count, sourceName } from './alert-words.ts';

/**
 * The alert for a source whose health changed across the fleet, from the evaluation's answer.
 * Pure.
 *
 * @example
 * sourceHealthAlert({ source: 'git', state: 'unhealthy', errorPercent: 52.3, errors: 523, requests: 1000, installs: 40, windowMinutes: 5, thresholdPercent: 20 }, now).text;
 * // 'Cartae fleet: Git is unhealthy: errors on 52.3 % of 1,000 requests from 40 installs over 5 min (alert above 20 %)'
 */
export function sourceHealthAlert(change: SourceHealthChange, now: number): Alert {
  const figures = `errors on ${change.errorPercent} % of ${count.format(change.requests)} requests from ${count.format(change.installs)} installs over ${change.windowMinutes} min (alert above ${change.thresholdPercent} %)`;
  const name = sourceName(change.source);
  return {
    text:
      change.state === 'unhealthy'
        ? `Cartae fleet: ${name} is unhealthy: ${figures}`
        : `Cartae fleet: ${name} is healthy again: ${figures}`,
    event: change.state === 'unhealthy' ? 'source-unhealthy' : 'source-recovered',
    at: new Date(now).toISOString(),
    details: { ...change },
  };
}
