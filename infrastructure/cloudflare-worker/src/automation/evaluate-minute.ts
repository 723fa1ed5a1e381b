import type { WorkerPlatform } from '../worker-platform.ts';
import { evaluateFleetAutomation } from './evaluate-fleet-automation.ts';
import type { FleetAutomationAnswer } from './fleet-automation-answer.ts';
import type { FleetAutomation } from './fleet-automation-target.ts';

/**
 * The minute's evaluation: one call to the control plane and one JSON log line with its answer
 * (`fleet_automation`) or its failure (`fleet_automation_failed`, tried again next minute).
 * `undefined` when automation is disabled (/health says why) or the call failed. Never throws.
 */
export async function evaluateMinute(
  automation: FleetAutomation,
  platform: WorkerPlatform,
): Promise<FleetAutomationAnswer | undefined> {
  if (!automation.enabled) return undefined;
  const result = await evaluateFleetAutomation(automation.target, platform);
  if (!result.ok) {
    platform.log('fleet_automation_failed', { error: result.error, retry: 'next minute' });
    return undefined;
  }
  const { answer } = result;
  const health = answer.sourceHealth.map((change) => `${change.source} ${change.state}`);
  const said = {
    ...(answer.paused ? { paused: true } : {}),
    ...(health.length > 0 ? { sourceHealth: health } : {}),
  };
  if (answer.action === 'none') {
    platform.log('fleet_automation', { action: 'none', reason: answer.reason, ...said });
  } else if (answer.action === 'promoted') {
    platform.log('fleet_automation', {
      action: 'promoted',
      from: answer.from,
      to: answer.to,
      version: answer.version,
      ...said,
    });
  } else if (answer.action === 'rolled-back') {
    platform.log('fleet_automation', {
      action: 'rolled-back',
      from: answer.from,
      to: answer.to,
      restored: answer.restored,
      ...said,
    });
  } else {
    platform.log('fleet_automation', {
      action: 'switched',
      from: answer.from,
      to: answer.to,
      version: answer.version,
      ...said,
    });
  }
  return answer;
}
