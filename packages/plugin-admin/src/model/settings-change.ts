import type { FleetSettings, FleetSettingsChange } from '@cartae/marketplace-core';
import { describeSourceRule } from './fleet-settings-view.ts';

/** One line of "what will change": the setting, its value now, its value after. */
export interface SettingChangeLine {
  readonly setting: string;
  readonly before: string;
  readonly after: string;
}

/**
 * What a fleet settings change would change, one line per setting; empty when it changes
 * nothing, so the panel does not send it. The webhook URL is known masked only, so a new URL
 * always counts as a change (the database writes nothing when it is the same). Pure.
 *
 * @example
 * settingsChangeLines(settings, { automationPaused: true });
 * // [{ setting: 'Automation', before: 'running', after: 'paused' }]
 */
export function settingsChangeLines(
  current: FleetSettings,
  change: FleetSettingsChange,
): SettingChangeLine[] {
  const lines: SettingChangeLine[] = [];
  if (change.automationPaused !== undefined && change.automationPaused !== current.automationPaused) {
    const state = (paused: boolean) => (paused ? 'paused' : 'running');
    lines.push({
      setting: 'Automation',
      before: state(current.automationPaused),
      after: state(change.automationPaused),
    });
  }
  if (change.webhookUrl !== undefined && !(change.webhookUrl === null && current.webhookUrl === null)) {
    lines.push({
      setting: 'Alert webhook URL',
      before: current.webhookUrl ?? 'none (alerts go to the feed only)',
      after: change.webhookUrl ?? 'none (alerts go to the feed only)',
    });
  }
  if (change.webhookSecret !== undefined && !(change.webhookSecret === null && !current.webhookSecretSet)) {
    lines.push({
      setting: 'Webhook secret',
      before: current.webhookSecretSet ? 'set' : 'not set',
      after:
        change.webhookSecret === null
          ? 'not set (alerts are sent unsigned)'
          : current.webhookSecretSet
            ? 'replaced by the new secret'
            : 'set (alerts are signed)',
    });
  }
  if (change.sourceAlert !== undefined) {
    const next = { ...current.sourceAlert, ...change.sourceAlert };
    if (
      next.errorPercent !== current.sourceAlert.errorPercent ||
      next.windowMinutes !== current.sourceAlert.windowMinutes
    ) {
      lines.push({
        setting: 'Source health alert',
        before: describeSourceRule(current.sourceAlert),
        after: describeSourceRule(next),
      });
    }
  }
  return lines;
}
