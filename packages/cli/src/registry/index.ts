/**
 * The registry generator behind `cartae-marketplace registry build`: plugins/<id>.json files in,
 * one validated, deterministic registry.json out; and its signing keys and detached signature
 * file behind `registry keygen`, `registry sign` and `registry verify`.
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
export { RegistryKeyError } from './registry-key-error.ts';
export {
  defaultKeyId,
  type GeneratedRegistryKey,
  generateRegistryKey,
  type PrivateRegistryJwk,
  readPrivateKey,
  readTrustArgument,
} from './registry-keys.ts';
export { registryText } from './registry-text.ts';
export { type SignedRegistryFile, signRegistryFile } from './sign-registry-file.ts';
export { type RegistryVerification, verifyRegistryFile } from './verify-registry-file.ts';
export { writeFileAtomic, writeRegistry } from './write-registry.ts';
