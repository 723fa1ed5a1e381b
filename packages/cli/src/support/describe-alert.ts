import type { FleetAlert } from './fleet-settings-client.ts';
import { localTime } from './local-time.ts';

/** Each event of the alert feed in words (the `fleet_alerts_event` check of the migration). */
export const ALERT_EVENT_WORDS: Readonly<Record<string, string>> = {
  'auto-switch': 'Automatic switch',
  'auto-rollback': 'Automatic rollback',
  'canary-promoted': 'Canary promoted',
  'mirror-failing': 'Mirror failing',
  'mirror-recovered': 'Mirror recovered',
  'source-unhealthy': 'Source unhealthy',
  'source-recovered': 'Source recovered',
  'settings-changed': 'Settings changed',
};

const EVENT_WIDTH = Math.max(...Object.values(ALERT_EVENT_WORDS).map((w) => w.length));

/** `#12  2026-11-30 18:42:07  Settings changed    ops@… paused the fleet automation …` */
export function describeAlert(alert: FleetAlert): string {
  const event = ALERT_EVENT_WORDS[alert.event] ?? alert.event;
  return `#${alert.id}  ${localTime(alert.at)}  ${event.padEnd(EVENT_WIDTH)}  ${alert.text}`;
}
