import type { FleetAutomationAnswer } from '../automation/fleet-automation-answer.ts';
import type { Alert } from './alert.ts';
import { count, num, sourceName } from './alert-words.ts';

/** "CDN errors 12.3 % of 4,567 requests over 10 min > 5 %", from what is there. */
function evidenceText(evidence: Readonly<Record<string, unknown>>): string {
  const sources = Array.isArray(evidence.sources) ? evidence.sources.map(sourceName).join(' + ') : 'sources';
  const share = num(evidence.errorPercent);
  const requests = num(evidence.requests);
  const window = num(evidence.windowMinutes);
  const guard = num(evidence.guardPercent);
  if (share === undefined) return `${sources} errors (no figures in the evidence)`;
  return [
    `${sources} errors ${share.toFixed(1)} %`,
    requests === undefined ? '' : ` of ${count.format(requests)} requests`,
    window === undefined ? '' : ` over ${window} min`,
    guard === undefined ? '' : ` > ${guard} %`,
  ].join('');
}

/**
 * The alert for an automatic rollback by the rollout guard, from the evaluation's answer. Pure.
 *
 * @example
 * autoRollbackAlert({ action: 'rolled-back', from: 15, to: 16, restored: 14, evidence }, now).text;
 * // "Cartae rolled back config v15 to v14's content as v16: CDN errors 12.3 % of 4,567 requests over 10 min > 5 %"
 */
export function autoRollbackAlert(
  answer: Extract<FleetAutomationAnswer, { action: 'rolled-back' }>,
  now: number,
): Alert {
  return {
    text: `Cartae rolled back config v${answer.from} to v${answer.restored}'s content as v${answer.to}: ${evidenceText(answer.evidence)}`,
    event: 'auto-rollback',
    at: new Date(now).toISOString(),
    details: { from: answer.from, to: answer.to, restored: answer.restored, evidence: answer.evidence },
  };
}
