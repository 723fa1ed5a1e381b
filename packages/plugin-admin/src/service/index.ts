/** The admin plugin's data layer and switch presets, without React: for the CLI and other non-UI callers. */

export {
  ALERT_EVENTS,
  ALERT_FEED_EMPTY_MESSAGE,
  type AlertEventView,
  alertEventView,
  type FleetAlert,
  parseFleetAlerts,
} from '../model/fleet-alerts.ts';
export {
  type Convergence,
  convergence,
  describeConvergence,
  describeOtherVersions,
} from '../model/fleet-convergence.ts';
export {
  formatCount,
  formatLatency,
  formatQuota,
  formatShare,
  type LatencyFigure,
  latencyFigure,
  type SourceFigures,
  sourceFigures,
} from '../model/fleet-figures.ts';
export {
  FLEET_EMPTY_MESSAGE,
  FLEET_FIGURE_ROWS,
  type FleetFigureRow,
  fleetWindowName,
} from '../model/fleet-rows.ts';
export { describePause, describeSourceRule, parseFleetSettings } from '../model/fleet-settings-view.ts';
export { type FleetSummary, summarizeFleet } from '../model/fleet-summary.ts';
export {
  type FleetMinute,
  type FleetSourceTotals,
  type FleetUsage,
  type FleetVersionInstalls,
  parseFleetUsage,
} from '../model/fleet-usage.ts';
export {
  presetOf,
  propagationDelay,
  SOURCE_PRESETS,
  type SourcePreset,
  type SourcePresetId,
  withPreset,
} from '../model/source-presets.ts';
export { generateWebhookSecret } from '../model/webhook-secret.ts';
export {
  type AdminError,
  type AdminErrorKind,
  fleetSettingsError,
  type ServiceResult,
  toAdminError,
} from './admin-error.ts';
export {
  type AdminSupabaseClient,
  type ControlPlaneConfig,
  FLEET_USAGE_MAX_MINUTES,
  type HistoryEntry,
  MarketplaceConfigService,
} from './marketplace-config-service.ts';
export { callRpc } from './rpc-call.ts';
export { type SourceHost, SourceHostsClient } from './source-hosts.ts';
export { type SourceTestResult, testSource } from './test-source.ts';
