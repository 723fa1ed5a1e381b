import type { FleetSettings } from '@cartae/marketplace-core';
import { ago } from './auto-switch-state.ts';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const textOrNull = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/**
 * `get_fleet_settings()`' answer read defensively; `undefined` when it is not the settings at all
 * (no boolean kill switch, no source rule). Pure.
 */
export function parseFleetSettings(data: unknown): FleetSettings | undefined {
  const row = Array.isArray(data) ? data[0] : data;
  if (!isObject(row) || typeof row.automationPaused !== 'boolean' || !isObject(row.sourceAlert)) {
    return undefined;
  }
  const errorPercent = Number(row.sourceAlert.errorPercent);
  const windowMinutes = Number(row.sourceAlert.windowMinutes);
  if (!Number.isFinite(errorPercent) || !Number.isFinite(windowMinutes)) return undefined;
  return {
    automationPaused: row.automationPaused,
    webhookUrl: textOrNull(row.webhookUrl),
    webhookSecretSet: row.webhookSecretSet === true,
    sourceAlert: { errorPercent, windowMinutes },
    updatedAt: textOrNull(row.updatedAt),
    updatedByEmail: textOrNull(row.updatedByEmail),
  };
}

/** "errors above 20 % of a source's requests over 5 min" */
export function describeSourceRule(rule: FleetSettings['sourceAlert']): string {
  return `errors above ${rule.errorPercent} % of a source's requests over ${rule.windowMinutes} min`;
}

/**
 * Who paused the automation and since when, as `evaluate_fleet_automation` says it (the last
 * change of the settings): "by ada@cartae.test since Nov 30, 2026, 5:40 PM (12 min ago)". Empty
 * when unknown. Pure; `now` in epoch ms, `time` writes a local date and time.
 */
export function describePause(
  settings: Pick<FleetSettings, 'updatedAt' | 'updatedByEmail'>,
  now: number,
  time: (ms: number) => string = (ms) =>
    new Date(ms).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' }),
): string {
  const at = settings.updatedAt ? Date.parse(settings.updatedAt) : Number.NaN;
  return [
    settings.updatedByEmail ? `by ${settings.updatedByEmail}` : '',
    Number.isFinite(at) ? `since ${time(at)} (${ago(at, now)})` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
