import type { Alert } from '../alerts/alert.ts';
import { autoRollbackAlert } from '../alerts/auto-rollback-alert.ts';
import { autoSwitchAlert } from '../alerts/auto-switch-alert.ts';
import type { WorkerPlatform } from '../worker-platform.ts';
import { evaluateFleetAutomation } from './evaluate-fleet-automation.ts';
import type { FleetAutomation } from './fleet-automation-target.ts';

/**
 * The minute's evaluation: one call to the control plane, one JSON log line with its answer
 * (`fleet_automation`) or its failure (`fleet_automation_failed`, tried again next minute), and an
 * alert when the fleet was switched or a change was rolled back. Does nothing when automation is disabled (/health says why).
 * Never throws.
 */
export async function evaluateMinute(
  automation: FleetAutomation,
  platform: WorkerPlatform,
  send: (alert: Alert) => void,
): Promise<void> {
  if (!automation.enabled) return;
  const result = await evaluateFleetAutomation(automation.target, platform);
  if (!result.ok) {
    platform.log('fleet_automation_failed', { error: result.error, retry: 'next minute' });
    return;
  }
  const { answer } = result;
  if (answer.action === 'none') {
    platform.log('fleet_automation', { action: 'none', reason: answer.reason });
    return;
  }
  if (answer.action === 'rolled-back') {
    platform.log('fleet_automation', {
      action: 'rolled-back',
      from: answer.from,
      to: answer.to,
      restored: answer.restored,
    });
    send(autoRollbackAlert(answer, platform.now()));
    return;
  }
  platform.log('fleet_automation', {
    action: 'switched',
    from: answer.from,
    to: answer.to,
    version: answer.version,
  });
  send(autoSwitchAlert(answer, platform.now()));
}
