/**
 * @cartae/marketplace-core — the shared contracts of Cartae's marketplace source control.
 * No I/O: runs unchanged in browsers, Node and Cloudflare Workers.
 */
export { BUCKET_COUNT, bucketOf, DEFAULT_BUCKET_SALT, fnv1a32, inCanary } from './bucketing.ts';
export { MAX_CONFIG_DEPTH } from './config-depth.ts';
export {
  AUTO_SWITCH_TARGETS,
  type AutoSwitchSettings,
  type AutoSwitchTarget,
  type CanaryRampSettings,
  CONFIG_LIMITS,
  DEFAULT_MARKETPLACE_CONFIG,
  type MarketplaceSourceConfig,
  ROLLOUT_GUARD_DEFAULTS,
  type RolloutGuardSettings,
  SOURCE_TYPES,
  type SourceType,
  sourceUrl,
} from './config-document.ts';
export { type ConfigSnapshot, parseControlPlaneSnapshot } from './control-plane-snapshot.ts';
export {
  FLEET_SETTINGS_LIMITS,
  type FleetSettings,
  type FleetSettingsChange,
  maskWebhookUrl,
  type SourceAlertRule,
  validateFleetSettingsChange,
} from './fleet-settings.ts';
export {
  type FieldIssue,
  MarketplaceError,
  type MarketplaceErrorCode,
  type MarketplaceErrorJson,
} from './marketplace-error.ts';
export { type OpenedRegistry, type OpenRegistryOptions, openRegistry } from './open-registry.ts';
export { checkRegistryDocument, type RegistryCheckOptions } from './parse-registry.ts';
export { type HeaderReader, parseRateLimit, parseRetryAfter, type RateLimitInfo } from './rate-limit.ts';
export { type ReadConfigOutcome, readMarketplaceConfig } from './read-config.ts';
export {
  PLUGIN_ID_PATTERN,
  type PluginEntry,
  pluginEntrySchema,
  pluginIdFor,
  pluginIdsFor,
  REGISTRY_LIMITS,
  type RegistryDocument,
  registryDocumentSchema,
} from './registry-document.ts';
export { REGISTRY_EXPIRY_GRACE_MS, withinExpiry } from './registry-expiry.ts';
export {
  exportTrustedKey,
  isRegistryJws,
  REGISTRY_JWS_TYPE,
  type RegistryJws,
  signRegistry,
  type TrustedRegistryKey,
  verifyRegistryJws,
} from './registry-signature.ts';
export {
  createRegistrySignature,
  type RegistrySignatureVerdict,
  type RegistrySigner,
  type SignatureCheck,
  type SignatureRefusal,
  signRegistryDetached,
  verifyRegistrySignature,
} from './registry-signature-detached.ts';
export {
  REGISTRY_SIGNATURE_LIMITS,
  REGISTRY_SIGNATURE_TYPE,
  type ReadSignature,
  type ReadSignatureFile,
  type RegistrySignatureEntry,
  readRegistrySignatureFile,
  registrySignatureFileText,
} from './registry-signature-file.ts';
export { REGISTRY_KEY_ID_PATTERN, readTrustedKey } from './registry-signature-key.ts';
export {
  type OpenSignedRegistryOptions,
  openSignedRegistry,
  registrySignatureError,
} from './registry-signature-open.ts';
export { err, ok, type Result } from './result.ts';
export {
  LOGICAL_PATHS,
  type LogicalRoute,
  parseLogicalPath,
  registrySignatureUrl,
  routeUrl,
} from './routes.ts';
export {
  preferredOrder,
  type SelectionInput,
  type SourceHealthView,
  type SourceSelection,
  selectSources,
} from './select-sources.ts';
export { normaliseSourceHost, SOURCE_URL_FIELDS, sourceHostProblem } from './source-hosts.ts';
export {
  isSourceKind,
  SOURCE_KIND_TABLE,
  SOURCE_KINDS,
  type SourceKind,
  type SourceKindSpec,
  type SourceUrlField,
} from './source-kind.ts';
export { checkUrl, isLoopbackHost, MAX_URL_LENGTH, type UrlPolicy } from './url-policy.ts';
export {
  LATENCY_BUCKET_COUNT,
  LATENCY_BUCKETS_MS,
  latencyBucket,
  latencyPercentile,
  parseUsageReport,
  type SourceUsage,
  USAGE_REPORT_LIMITS,
  type UsageAggregateRow,
  type UsageReport,
} from './usage-report.ts';
export { validateMarketplaceConfig } from './validate-config.ts';
