/** What became of a config poll's report in the Worker. */
export type IntakeOutcome =
  /** Handed to its shard. */
  | 'accepted'
  /** Valid, but about no source: nothing to aggregate. */
  | 'empty'
  | 'too_large'
  | 'invalid'
  | 'rate_limited'
  /** Telemetry is off in this deployment (see `usageTelemetry`). */
  | 'disabled'
  /** Its shard could not be reached. */
  | 'undelivered';

export const TALLY_PERIOD_MS = 60_000;

/**
 * Counts intake outcomes in this isolate and logs them as one JSON line (`usage_intake`) per
 * period at most, so refusals are visible in `wrangler tail` without a line per report.
 *
 * @example
 * tally.count('rate_limited', now, platform.log);
 */
export class IntakeTally {
  #counts = new Map<IntakeOutcome, number>();
  #since: number | undefined;

  count(
    outcome: IntakeOutcome,
    now: number,
    log: (event: string, details: Record<string, unknown>) => void,
  ): void {
    this.#since ??= now;
    this.#counts.set(outcome, (this.#counts.get(outcome) ?? 0) + 1);
    if (now - this.#since < TALLY_PERIOD_MS) return;
    log('usage_intake', { since: new Date(this.#since).toISOString(), ...Object.fromEntries(this.#counts) });
    this.#counts = new Map();
    this.#since = undefined;
  }
}
