/**
 * The resolver's own pure decision functions, used unchanged so the simulation models what the
 * shipped code does rather than a paraphrase of it.
 */
export {
  DEFAULT_EDGE_CONFIG_POLL_SECONDS,
  HEALTHY,
  isFresh,
  judgeAnswer,
  nextRefreshDelay,
  probesAfterEjection,
  recordFailure,
  recordSuccess,
  settle,
  toView,
} from '@cartae/marketplace-resolver/decisions';
