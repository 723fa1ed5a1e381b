/**
 * `@cartae/marketplace-resolver/decisions` — the resolver's pure decision functions (config
 * freshness, passive health, response classification), for tools that must model exactly what the
 * shipped resolver decides, such as the fleet simulation. No timers, no I/O.
 */
export { failedRefreshDelay, isFresh, nextRefreshDelay } from './config/config-freshness.ts';
export { DEFAULT_EJECTION_POLICY, type EjectionPolicy, ejectionDuration } from './health/ejection-policy.ts';
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
export { classifyResponse } from './request/classify-response.ts';
export { DEFAULT_EDGE_CONFIG_POLL_SECONDS } from './resolver-options.ts';
