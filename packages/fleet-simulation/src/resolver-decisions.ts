/**
 * The resolver's own pure decision functions, used unchanged so the simulation models what the
 * shipped code does rather than a paraphrase of it. `@cartae/marketplace-resolver` does not
 * export these (its public surface is the resolver), so they are reached by path here, in this
 * one file; if the resolver ever exports them (e.g. a `./decisions` subpath), only this file
 * changes.
 */
export { isFresh, nextRefreshDelay } from '../../marketplace-resolver/src/config/config-freshness.ts';
export {
  HEALTHY,
  recordFailure,
  recordSuccess,
  settle,
  toView,
} from '../../marketplace-resolver/src/health/source-health.ts';
export { classifyResponse } from '../../marketplace-resolver/src/request/classify-response.ts';
