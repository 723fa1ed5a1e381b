import { isSourceKind } from '@cartae/marketplace-core';
import type { FleetAutomationAnswer } from '../automation/fleet-automation-answer.ts';
import type { Alert } from './alert.ts';
import { count, num, sourceName } from './alert-words.ts';

/** "CDN errors 1.0 % of 3,900 requests over 30 min ≤ 5 %", from what is there. */
function evidenceText(evidence: Readonly<Record<string, unknown>>): string {
  const source =
    typeof evidence.source === 'string' && isSourceKind(evidence.source)
      ? sourceName(evidence.source)
      : 'canary';
  const share = num(evidence.errorPercent);
  const requests = num(evidence.requests);
  const hold = num(evidence.holdMinutes);
  const guard = num(evidence.guardPercent);
  if (share === undefined) return `${source} held (no figures in the evidence)`;
  return [
    `${source} errors ${share.toFixed(1)} %`,
    requests === undefined ? '' : ` of ${count.format(requests)} requests`,
    hold === undefined ? '' : ` over ${hold} min`,
    guard === undefined ? '' : ` ≤ ${guard} %`,
  ].join('');
}

/**
 * The alert for a step of the canary ramp, from the evaluation's answer. Pure.
 *
 * @example
 * canaryPromotedAlert({ action: 'promoted', from: 10, to: 50, version: 9, evidence }, now).text;
 * // 'Cartae raised the canary from 10 % to 50 % (config version 9): CDN errors 1.0 % of 3,900 requests over 30 min ≤ 5 %'
 */
export function canaryPromotedAlert(
  answer: Extract<FleetAutomationAnswer, { action: 'promoted' }>,
  now: number,
): Alert {
  return {
    text: `Cartae raised the canary from ${answer.from} % to ${answer.to} % (config version ${answer.version}): ${evidenceText(answer.evidence)}`,
    event: 'canary-promoted',
    at: new Date(now).toISOString(),
    details: { from: answer.from, to: answer.to, version: answer.version, evidence: answer.evidence },
  };
}
