import {
  checkRegistryDocument,
  type PluginEntry,
  REGISTRY_LIMITS,
  type RegistryDocument,
  registryDocumentSchema,
} from '@cartae/marketplace-core';
import { type BuildIssue, RegistryBuildError } from './registry-build-error.ts';
import { registryText } from './registry-text.ts';

/** How long a freshly built registry stays valid when no `expires` is given. */
export const DEFAULT_VALIDITY_DAYS = 365;
const DAY_MS = 86_400_000;

export interface RegistryBuildOptions {
  /** Registry version to write. Default: the previous version, plus 1 when the bytes change. */
  readonly version?: number;
  /** ISO 8601 date-time. Default: kept when nothing changed, otherwise now. */
  readonly generatedAt?: string;
  /** ISO 8601 date-time. Default: kept when nothing changed, otherwise `generatedAt` + 365 days. */
  readonly expires?: string;
}

/** A validated entry and the file it came from (for error messages). */
export interface PluginSource {
  readonly file: string;
  readonly entry: PluginEntry;
}

/** The registry.json already in the folder: its exact bytes and what they parse to. */
export interface PreviousRegistry {
  readonly text: string;
  readonly document: RegistryDocument;
}

export interface BuiltRegistry {
  readonly document: RegistryDocument;
  /** The exact bytes to write and serve. */
  readonly text: string;
  /** False when `text` equals the previous registry.json byte for byte. */
  readonly changed: boolean;
  readonly previousVersion: number | undefined;
}

export interface ComposeInput {
  readonly plugins: readonly PluginSource[];
  readonly previous?: PreviousRegistry | undefined;
  readonly options?: RegistryBuildOptions;
  /** Current time, epoch ms (only used when something changed and no `generatedAt` is given). */
  readonly now: number;
}

/**
 * Turns validated plugin entries into the registry document and its exact bytes. Pure.
 * Refuses duplicate ids; sorts by id; keeps the previous version, dates and bytes when nothing
 * changed, and otherwise moves the version forward (resolvers refuse a version that goes back,
 * and one version must always mean the same bytes).
 *
 * @example
 * composeRegistry({ plugins, previous, now: Date.now() }); // { document, text, changed, previousVersion }
 */
export function composeRegistry(input: ComposeInput): BuiltRegistry {
  const { previous, options = {} } = input;
  const plugins = sortedUnique(input.plugins);
  checkOptions(options);
  const previousVersion = previous?.document.version;

  if (previous && (options.version === undefined || options.version === previous.document.version)) {
    const same: RegistryDocument = {
      schemaVersion: 1,
      version: previous.document.version,
      generatedAt: options.generatedAt ?? previous.document.generatedAt,
      expires: options.expires ?? previous.document.expires,
      plugins,
    };
    const text = registryText(same);
    if (text === previous.text) return { document: same, text, changed: false, previousVersion };
  }

  const version = options.version ?? (previousVersion ?? 0) + 1;
  if (previousVersion !== undefined && version <= previousVersion) {
    throw new RegistryBuildError(
      'version_not_increasing',
      `the registry changed but version ${version} is not above the previous version ${previousVersion}: ` +
        'resolvers refuse a registry whose version goes back, and one version must always mean the same bytes. ' +
        `Leave the version out (it becomes ${previousVersion + 1}) or pass a higher one.`,
    );
  }
  const generatedAt = options.generatedAt ?? new Date(input.now).toISOString();
  const expires =
    options.expires ?? new Date(Date.parse(generatedAt) + DEFAULT_VALIDITY_DAYS * DAY_MS).toISOString();
  if (Date.parse(expires) <= Date.parse(generatedAt)) {
    throw new RegistryBuildError(
      'options_invalid',
      `expires (${expires}) must be after generatedAt (${generatedAt})`,
    );
  }
  const document: RegistryDocument = { schemaVersion: 1, version, generatedAt, expires, plugins };
  const text = registryText(document);
  finalCheck(document, text);
  return { document, text, changed: text !== previous?.text, previousVersion };
}

function sortedUnique(sources: readonly PluginSource[]): PluginEntry[] {
  const filesById = new Map<string, string[]>();
  for (const { file, entry } of sources) filesById.set(entry.id, [...(filesById.get(entry.id) ?? []), file]);
  const issues: BuildIssue[] = [];
  for (const [id, files] of filesById) {
    if (files.length < 2) continue;
    for (const file of files) {
      const others = files.filter((f) => f !== file).join(', ');
      issues.push({ file, field: 'id', message: `duplicate plugin id "${id}" (also in ${others})` });
    }
  }
  if (issues.length > 0) {
    throw new RegistryBuildError('plugin_duplicate', 'two or more plugin files use the same id:', issues);
  }
  return sources.map((s) => s.entry).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function checkOptions(options: RegistryBuildOptions): void {
  const issues: BuildIssue[] = [];
  if (options.version !== undefined && (!Number.isInteger(options.version) || options.version < 1)) {
    issues.push({ file: '(options)', field: 'version', message: 'must be a positive integer' });
  }
  for (const field of ['generatedAt', 'expires'] as const) {
    const value = options[field];
    if (value === undefined) continue;
    const probe = registryDocumentSchema.shape.generatedAt.safeParse(value);
    if (!probe.success) {
      issues.push({ file: '(options)', field, message: `must be an ISO 8601 date-time, got "${value}"` });
    }
  }
  if (issues.length > 0) throw new RegistryBuildError('options_invalid', 'invalid build options:', issues);
}

/** The same checks a resolver makes, so a build never produces what a resolver would refuse. */
function finalCheck(document: RegistryDocument, text: string): void {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > REGISTRY_LIMITS.maxBytes) {
    throw new RegistryBuildError(
      'registry_invalid',
      `the registry would be ${bytes} bytes, above the ${REGISTRY_LIMITS.maxBytes}-byte limit resolvers accept`,
    );
  }
  const checked = checkRegistryDocument(document, { now: Date.parse(document.generatedAt), clockSkewMs: 0 });
  if (!checked.ok) {
    const issues = (checked.error.issues ?? []).map((i) => ({
      file: 'registry.json',
      field: i.path,
      message: i.message,
    }));
    throw new RegistryBuildError('registry_invalid', checked.error.message, issues);
  }
}
