import type { Alert } from '../alerts/alert.ts';
import { autoRollbackAlert } from '../alerts/auto-rollback-alert.ts';
import { autoSwitchAlert } from '../alerts/auto-switch-alert.ts';
import { canaryPromotedAlert } from '../alerts/canary-promoted-alert.ts';
import { sourceHealthAlert } from '../alerts/source-health-alert.ts';
import type { FleetAutomationAnswer } from './fleet-automation-answer.ts';

/**
 * The alerts an evaluation calls for: its action (an automatic switch, rollback or canary
 * promotion), then one per
 * source whose fleet-wide health changed. Pure.
 *
 * @example
 * automationAlerts(answer, now).map((a) => a.event); // ['auto-switch', 'source-unhealthy']
 */
export function automationAlerts(answer: FleetAutomationAnswer | undefined, now: number): Alert[] {
  if (answer === undefined) return [];
  const alerts: Alert[] = [];
  if (answer.action === 'switched') alerts.push(autoSwitchAlert(answer, now));
  if (answer.action === 'rolled-back') alerts.push(autoRollbackAlert(answer, now));
  if (answer.action === 'promoted') alerts.push(canaryPromotedAlert(answer, now));
  for (const change of answer.sourceHealth) alerts.push(sourceHealthAlert(change, now));
  return alerts;
}
