/** How failures turn into ejections (SPEC 4.4, 4.5). All durations in ms. */
export interface EjectionPolicy {
  /** Consecutive failures that eject a source. A rate limit ejects at once. Default 3. */
  readonly consecutiveFailures: number;
  /** First ejection lasts this long, doubling with each ejection in a row. Default 30 s. */
  readonly baseEjectionMs: number;
  /** Longest ejection for ordinary failures. Default 5 min. */
  readonly maxEjectionMs: number;
  /** Ejection for a rate limit that says nothing about when to come back. Default 60 s. */
  readonly defaultRateLimitMs: number;
  /** Longest a rate-limit header may keep a source out; hostile headers can't eject it for days. Default 1 h. */
  readonly maxRateLimitMs: number;
}

export const DEFAULT_EJECTION_POLICY: EjectionPolicy = {
  consecutiveFailures: 3,
  baseEjectionMs: 30_000,
  maxEjectionMs: 300_000,
  defaultRateLimitMs: 60_000,
  maxRateLimitMs: 3_600_000,
};

/** Ejection length for the n-th ejection in a row (n ≥ 1). */
export function ejectionDuration(ejections: number, policy: EjectionPolicy): number {
  return Math.min(policy.maxEjectionMs, policy.baseEjectionMs * 2 ** Math.max(0, ejections - 1));
}
