/** @cartae/plugin-admin — the control panel for the fleet's marketplace source. */
export { type AdminMountOptions, adminPlugin } from './admin-plugin.tsx';
export { AdminPanel, type AdminResolver } from './components/AdminPanel.tsx';
export { AlertFeed } from './components/AlertFeed.tsx';
export { AutomationTab } from './components/AutomationTab.tsx';
export { ConfigHistoryPanel } from './components/ConfigHistoryPanel.tsx';
export { FleetUsagePanel } from './components/FleetUsagePanel.tsx';
// Lazy: the chart library stays out of the host's main chunk (render inside <Suspense>).
export { UsageStatsPanel } from './components/lazy-charts.ts';
export { MarketplaceSourceControl } from './components/MarketplaceSourceControl.tsx';
export { SourceHealthMonitor } from './components/SourceHealthMonitor.tsx';
export type { FleetAlert } from './model/fleet-alerts.ts';
export type { FleetUsage } from './model/fleet-usage.ts';
export {
  type AdminError,
  type AdminErrorKind,
  type ServiceResult,
  toAdminError,
} from './service/admin-error.ts';
export {
  type AdminSupabaseClient,
  type ControlPlaneConfig,
  FLEET_USAGE_MAX_MINUTES,
  type HistoryEntry,
  MarketplaceConfigService,
} from './service/marketplace-config-service.ts';
export { type SourceTestResult, testSource } from './service/test-source.ts';
