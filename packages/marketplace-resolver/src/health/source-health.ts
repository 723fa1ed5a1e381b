import type { MarketplaceErrorCode, SourceHealthView } from '@cartae/marketplace-core';
import { type EjectionPolicy, ejectionDuration } from './ejection-policy.ts';

/**
 * One source's health, as a tagged union that serialises to JSON and restores. `ejections`
 * counts ejections in a row; a success resets it, so a flapping source backs off further.
 */
export type SourceHealthState =
  | { readonly status: 'admitted'; readonly consecutiveFailures: number; readonly ejections: number }
  | {
      readonly status: 'ejected';
      readonly until: number;
      readonly ejections: number;
      readonly reason: MarketplaceErrorCode;
    };

export interface RateLimitSnapshot {
  readonly remaining?: number;
  readonly limit?: number;
  readonly resetAt?: number;
}

export const HEALTHY: SourceHealthState = { status: 'admitted', consecutiveFailures: 0, ejections: 0 };

/** A success re-admits the source and forgets its history. */
export function recordSuccess(_state: SourceHealthState): SourceHealthState {
  return HEALTHY;
}

/**
 * A failed request. Rate limits eject at once until `retryAt` (clamped); other failures eject
 * after `policy.consecutiveFailures` in a row — or at once when the source was just
 * re-admitted after an ejection (it has not proved itself yet).
 */
export function recordFailure(
  state: SourceHealthState,
  failure: { reason: MarketplaceErrorCode; now: number; retryAt?: number },
  policy: EjectionPolicy,
): SourceHealthState {
  const { now, reason } = failure;
  const ejections = state.ejections + 1;
  if (reason === 'source_rate_limited') {
    // The source's own retry time, but rate limits in a row back off too: a quota that is still
    // exhausted after retry-after is not asked again every retry-after.
    const wanted = failure.retryAt ?? now + policy.defaultRateLimitMs;
    const backoff = ejections > 1 ? now + ejectionDuration(ejections, policy) : now + 1000;
    const until = Math.min(Math.max(wanted, backoff), now + policy.maxRateLimitMs);
    return { status: 'ejected', until, ejections, reason };
  }
  if (state.status === 'ejected') {
    // A failure while ejected (panic mode or a probe) extends the ejection with backoff.
    return { status: 'ejected', until: now + ejectionDuration(ejections, policy), ejections, reason };
  }
  const failures = state.consecutiveFailures + 1;
  const onTrial = state.ejections > 0;
  if (failures >= policy.consecutiveFailures || onTrial) {
    return { status: 'ejected', until: now + ejectionDuration(ejections, policy), ejections, reason };
  }
  return { status: 'admitted', consecutiveFailures: failures, ejections: state.ejections };
}

/**
 * Whether an ejection ends with an active probe. Never for a rate limit: every open app probing
 * at each retry-after would multiply the traffic that got the source limited (SPEC 4.4); it is
 * re-admitted passively, by the next real request after its retry time.
 */
export function probesAfterEjection(reason: MarketplaceErrorCode): boolean {
  return reason !== 'source_rate_limited';
}

/**
 * Once its ejection has run out, a source is admitted on trial: one more failure ejects it
 * again for longer.
 */
export function settle(state: SourceHealthState, now: number): SourceHealthState {
  if (state.status === 'ejected' && state.until <= now) {
    return { status: 'admitted', consecutiveFailures: 0, ejections: state.ejections };
  }
  return state;
}

/** What source selection needs to know. */
export function toView(state: SourceHealthState, rateLimit: RateLimitSnapshot | undefined): SourceHealthView {
  return {
    ...(state.status === 'ejected' ? { ejectedUntil: state.until } : {}),
    ...(rateLimit?.remaining === undefined ? {} : { rateLimitRemaining: rateLimit.remaining }),
    ...(rateLimit?.resetAt === undefined ? {} : { rateLimitResetAt: rateLimit.resetAt }),
  };
}
