/** What an alert is about. */
export type AlertEvent = 'auto-switch' | 'auto-rollback' | 'mirror-failing' | 'mirror-recovered';

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
