/**
 * The registry generator behind `cartae-marketplace registry build`: plugins/<id>.json files in,
 * one validated, deterministic registry.json out.
 */
export {
  type BuildFromFolderOptions,
  buildRegistryFromFolder,
  type FolderRegistry,
  PLUGINS_FOLDER,
  REGISTRY_FILE,
} from './build-registry.ts';
export {
  type BuiltRegistry,
  type ComposeInput,
  composeRegistry,
  DEFAULT_VALIDITY_DAYS,
  type PluginSource,
  type PreviousRegistry,
  type RegistryBuildOptions,
} from './compose-registry.ts';
export { readPluginFile } from './plugin-file.ts';
export {
  type BuildIssue,
  formatIssue,
  RegistryBuildError,
  type RegistryBuildErrorCode,
  type RegistryBuildErrorJson,
} from './registry-build-error.ts';
export { registryText } from './registry-text.ts';
export { writeFileAtomic, writeRegistry } from './write-registry.ts';
