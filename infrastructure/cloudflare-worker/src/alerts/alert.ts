/** What an alert is about (the events `record_fleet_alert` accepts). */
export type AlertEvent =
  | 'auto-switch'
  | 'auto-rollback'
  | 'canary-promoted'
  | 'mirror-failing'
  | 'mirror-recovered'
  | 'source-unhealthy'
  | 'source-recovered';

/**
 * The body of an alert POST: `text` is what Slack shows (one line a person reads); the other
 * fields are for generic receivers (Slack ignores them).
 */
export interface Alert {
  readonly text: string;
  readonly event: AlertEvent;
  /** When it happened, ISO 8601. */
  readonly at: string;
  readonly details: Readonly<Record<string, unknown>>;
}
