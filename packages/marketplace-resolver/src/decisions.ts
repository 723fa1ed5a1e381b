/**
 * `@cartae/marketplace-resolver/decisions` — the resolver's pure decision functions (config
 * freshness, passive health, the one judgement of every answer), for tools that must model exactly
 * what the shipped resolver decides, such as the fleet simulation. No timers, no I/O.
 */
export { failedRefreshDelay, isFresh, nextRefreshDelay } from './config/config-freshness.ts';
export { DEFAULT_EJECTION_POLICY, type EjectionPolicy, ejectionDuration } from './health/ejection-policy.ts';
/** The resolver's passive-health bookkeeping around the pure transitions below, used unchanged by the simulation. */
export { HealthBoard } from './health/health-board.ts';
export {
  HEALTHY,
  probesAfterEjection,
  type RateLimitSnapshot,
  recordFailure,
  recordSuccess,
  type SourceHealthState,
  settle,
  toView,
} from './health/source-health.ts';
export { type AttemptPlan, type AttemptStep, planAttempts } from './request/attempt-plan.ts';
export {
  type AnswerInput,
  type AnswerOutcome,
  type Judgement,
  judgeAnswer,
  type NotFoundMeaning,
} from './request/judge-answer.ts';
export { DEFAULT_EDGE_CONFIG_POLL_SECONDS } from './resolver-options.ts';
