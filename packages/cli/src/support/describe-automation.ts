import { type FleetSettings, ROLLOUT_GUARD_DEFAULTS } from '@cartae/marketplace-core';
import type { ControlPlaneConfig } from '@cartae/plugin-admin/service';
import { localTime } from './local-time.ts';

type Document = Record<string, unknown>;

const objectAt = (document: Document, key: string): Document | null => {
  const value = document[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Document) : null;
};

/**
 * Everything about the fleet automation in one value (`automation --json`): the fleet settings
 * (webhook masked, the secret only as `secretSet`) and the automation fields of the current
 * config, the rollout guard with `default: true` when the document has none.
 */
export function automationView(settings: FleetSettings, config: ControlPlaneConfig) {
  const guard = objectAt(config.document, 'rolloutGuard');
  const rolloutGuard: Document & { default: boolean } = guard
    ? { ...guard, default: false }
    : { ...ROLLOUT_GUARD_DEFAULTS, default: true };
  return {
    automationPaused: settings.automationPaused,
    updatedAt: settings.updatedAt,
    updatedByEmail: settings.updatedByEmail,
    webhook: { url: settings.webhookUrl, secretSet: settings.webhookSecretSet },
    sourceAlert: settings.sourceAlert,
    configVersion: config.version,
    autoSwitch: objectAt(config.document, 'autoSwitch'),
    rolloutGuard,
    canaryRamp: objectAt(config.document, 'canaryRamp'),
  };
}

export type AutomationView = ReturnType<typeof automationView>;

const onOff = (enabled: unknown) => (enabled === true ? 'on' : 'off');

/** The paragraph `automation` prints. */
export function describeAutomation(view: AutomationView): string {
  const since = [
    view.updatedByEmail ? ` by ${view.updatedByEmail}` : '',
    view.updatedAt ? ` since ${localTime(view.updatedAt)}` : '',
  ].join('');
  const auto = view.autoSwitch;
  const guard = view.rolloutGuard;
  const ramp = view.canaryRamp;
  const steps = Array.isArray(ramp?.steps) ? ramp.steps.join(' → ') : '?';
  const lines = [
    `automation:    ${view.automationPaused ? `PAUSED${since}: no automatic switch, rollback or promotion` : 'running'}`,
    `auto-switch:   ${auto ? `${onOff(auto.enabled)}: to ${String(auto.target)} when Git is rate-limited for ≥ ${String(auto.rateLimitedPercent)} % over ${String(auto.windowMinutes)} min` : 'off (not set)'}`,
    `rollout guard: ${onOff(guard.enabled)}: rolls a change back when its sources err above ${String(guard.errorPercent)} % within ${String(guard.windowMinutes)} min${guard.default ? ' (default)' : ''}`,
    `canary ramp:   ${ramp ? `${onOff(ramp.enabled)}: canary ${steps} %, each step held ${String(ramp.holdMinutes)} min` : 'off (not set)'}`,
    `webhook:       ${view.webhook.url ? `${view.webhook.url} · ${view.webhook.secretSet ? 'signed (secret set)' : 'unsigned (no secret)'}` : `none: alerts go to the feed only${view.webhook.secretSet ? ' (a secret is set)' : ''}`}`,
    `source alert:  a source is unhealthy when its errors exceed ${view.sourceAlert.errorPercent} % over ${view.sourceAlert.windowMinutes} min`,
    `config:        version ${view.configVersion}`,
  ];
  if (!view.automationPaused && view.updatedAt) {
    lines.push(
      `settings last changed ${localTime(view.updatedAt)}${view.updatedByEmail ? ` by ${view.updatedByEmail}` : ''}`,
    );
  }
  return lines.join('\n');
}
