/** The admin plugin's data layer and switch presets, without React: for the CLI and other non-UI callers. */

export {
  presetOf,
  propagationDelay,
  SOURCE_PRESETS,
  type SourcePreset,
  type SourcePresetId,
  withPreset,
} from '../model/source-presets.ts';
export { type AdminError, type AdminErrorKind, type ServiceResult, toAdminError } from './admin-error.ts';
export {
  type AdminSupabaseClient,
  type ControlPlaneConfig,
  type HistoryEntry,
  MarketplaceConfigService,
} from './marketplace-config-service.ts';
export { type SourceTestResult, testSource } from './test-source.ts';
