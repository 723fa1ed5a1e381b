import type { FleetAutomationAnswer } from '../automation/fleet-automation-answer.ts';
import type { Alert } from './alert.ts';
import { count, num } from './alert-words.ts';

/** "Git rate-limited 82.4 % of 1,234 requests from 57 installs over 10 min (threshold 70 %)", from what is there. */
function evidenceText(evidence: Readonly<Record<string, unknown>>): string {
  const source = typeof evidence.source === 'string' ? evidence.source : 'git';
  const share = num(evidence.rateLimitedPercent);
  const requests = num(evidence.requests);
  const installs = num(evidence.installs);
  const window = num(evidence.windowMinutes);
  const threshold = num(evidence.thresholdPercent);
  if (share === undefined) return `${source} rate-limited (no figures in the evidence)`;
  return [
    `${source === 'git' ? 'Git' : source} rate-limited ${share} %`,
    requests === undefined ? '' : ` of ${count.format(requests)} requests`,
    installs === undefined ? '' : ` from ${count.format(installs)} installs`,
    window === undefined ? '' : ` over ${window} min`,
    threshold === undefined ? '' : ` (threshold ${threshold} %)`,
  ].join('');
}

/**
 * The alert for an automatic switch, from the evaluation's answer. Pure.
 *
 * @example
 * autoSwitchAlert({ action: 'switched', from: 'git', to: 'cloudflare', version: 8, evidence }, now).text;
 * // 'Cartae fleet switched automatically from git to cloudflare (config version 8): Git rate-limited 82.4 % of 1,234 requests …'
 */
export function autoSwitchAlert(
  answer: Extract<FleetAutomationAnswer, { action: 'switched' }>,
  now: number,
): Alert {
  return {
    text: `Cartae fleet switched automatically from ${answer.from} to ${answer.to} (config version ${answer.version}): ${evidenceText(answer.evidence)}`,
    event: 'auto-switch',
    at: new Date(now).toISOString(),
    details: { from: answer.from, to: answer.to, version: answer.version, evidence: answer.evidence },
  };
}
