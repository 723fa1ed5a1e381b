/**
 * The resolver's own decisions — the judgement of every answer, the attempt order, passive health
 * (HealthBoard), probes and config freshness — used unchanged, so the simulation models what the
 * shipped code does rather than a paraphrase of it.
 */
export {
  DEFAULT_EDGE_CONFIG_POLL_SECONDS,
  HealthBoard,
  isFresh,
  judgeAnswer,
  nextRefreshDelay,
  planAttempts,
  probesAfterEjection,
} from '@cartae/marketplace-resolver/decisions';
