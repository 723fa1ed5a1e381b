/** One entry of the alert feed, as `get_fleet_alerts` answers it. */
export interface FleetAlert {
  readonly id: number;
  readonly at: string;
  /** One of {@link ALERT_EVENTS}' keys, or an event added later (shown as it is). */
  readonly event: string;
  readonly text: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** What kind of news an event is: drives the entry's border style, never its meaning alone. */
export type AlertTone = 'action' | 'problem' | 'recovered' | 'settings';

/** How the feed shows an event: words first, a text symbol beside them (not an emoji, not a colour). */
export interface AlertEventView {
  readonly label: string;
  readonly symbol: string;
  readonly tone: AlertTone;
}

/** The events `fleet_alerts` accepts (migration 20261201150000), in words. */
export const ALERT_EVENTS: Readonly<Record<string, AlertEventView>> = {
  'auto-switch': { label: 'Automatic switch', symbol: '⇄', tone: 'action' },
  'auto-rollback': { label: 'Automatic rollback', symbol: '↶', tone: 'action' },
  'canary-promoted': { label: 'Canary promoted', symbol: '↑', tone: 'action' },
  'mirror-failing': { label: 'Mirror failing', symbol: '✕', tone: 'problem' },
  'mirror-recovered': { label: 'Mirror recovered', symbol: '✓', tone: 'recovered' },
  'source-unhealthy': { label: 'Source unhealthy', symbol: '✕', tone: 'problem' },
  'source-recovered': { label: 'Source recovered', symbol: '✓', tone: 'recovered' },
  'settings-changed': { label: 'Settings changed', symbol: '✎', tone: 'settings' },
};

/** What the feed shows before any alert exists. */
export const ALERT_FEED_EMPTY_MESSAGE =
  'No alerts yet. Automatic switches, rollbacks and canary promotions, a mirror failing or recovering, a source unhealthy or recovered across the fleet, and every change of the automation settings will appear here, newest first.';

/** An event in words, with its symbol; an event this panel does not know is shown as it is. */
export function alertEventView(event: string): AlertEventView {
  return Object.hasOwn(ALERT_EVENTS, event)
    ? (ALERT_EVENTS[event] as AlertEventView)
    : { label: event || 'Unknown event', symbol: '•', tone: 'action' };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `get_fleet_alerts`' rows read defensively: a row without a numeric id or a time is dropped,
 * a missing text or details becomes empty. Never throws. Pure.
 */
export function parseFleetAlerts(data: unknown): FleetAlert[] {
  if (!Array.isArray(data)) return [];
  return data.flatMap((row) => {
    if (!isObject(row)) return [];
    const id = Number(row.id);
    if (!Number.isSafeInteger(id) || typeof row.at !== 'string') return [];
    return [
      {
        id,
        at: row.at,
        event: typeof row.event === 'string' ? row.event : '',
        text: typeof row.text === 'string' ? row.text : '',
        details: isObject(row.details) ? row.details : {},
      },
    ];
  });
}

/**
 * The newest page read again on a refresh, followed by the older entries already loaded (those
 * below the page's oldest id), so "load older" pages survive a refresh. Pure.
 */
export function mergeNewest(page: readonly FleetAlert[], loaded: readonly FleetAlert[]): FleetAlert[] {
  const oldest = page.at(-1)?.id;
  if (oldest === undefined) return loaded.length ? [...loaded] : [];
  return [...page, ...loaded.filter((alert) => alert.id < oldest)];
}

/** An alert's details as rows a person reads: lists of words joined, other values as JSON. */
export function alertDetailRows(
  details: Readonly<Record<string, unknown>>,
): { key: string; value: string }[] {
  return Object.entries(details).map(([key, value]) => ({ key, value: detailValue(value) }));
}

function detailValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return value.toLocaleString('en-US');
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('; ');
  return JSON.stringify(value) ?? String(value);
}
