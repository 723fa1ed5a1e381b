/** @cartae/plugin-admin — the control panel for the fleet's marketplace source. */
export { type AdminMountOptions, adminPlugin } from './admin-plugin.tsx';
export { AdminPanel, type AdminResolver } from './components/AdminPanel.tsx';
export { ConfigHistoryPanel } from './components/ConfigHistoryPanel.tsx';
export { MarketplaceSourceControl } from './components/MarketplaceSourceControl.tsx';
export { SourceHealthMonitor } from './components/SourceHealthMonitor.tsx';
export { UsageStatsPanel } from './components/UsageStatsPanel.tsx';
export {
  type AdminError,
  type AdminErrorKind,
  type ServiceResult,
  toAdminError,
} from './service/admin-error.ts';
export {
  type AdminSupabaseClient,
  type ControlPlaneConfig,
  type HistoryEntry,
  MarketplaceConfigService,
} from './service/marketplace-config-service.ts';
export { type SourceTestResult, testSource } from './service/test-source.ts';
