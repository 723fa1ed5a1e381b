import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { registryDocumentSchema } from '@cartae/marketplace-core';
import {
  type BuiltRegistry,
  composeRegistry,
  type PluginSource,
  type PreviousRegistry,
  type RegistryBuildOptions,
} from './compose-registry.ts';
import { readPluginFile } from './plugin-file.ts';
import { type BuildIssue, RegistryBuildError } from './registry-build-error.ts';

export const REGISTRY_FILE = 'registry.json';
export const PLUGINS_FOLDER = 'plugins';

export interface BuildFromFolderOptions extends RegistryBuildOptions {
  /** Current time, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

export interface FolderRegistry extends BuiltRegistry {
  /** Where the registry belongs: `{folder}/registry.json`. */
  readonly path: string;
  readonly pluginCount: number;
}

/**
 * Builds the registry of a folder laid out like the repository's `registry/`:
 * `plugins/<id>.json` (one entry each) and, if present, the previous `registry.json`. Every plugin
 * file is validated against the registry schema; every problem is reported at once, naming the
 * file and the field. Reads only; `writeRegistry` writes.
 *
 * @example
 * const built = await buildRegistryFromFolder('registry');
 * if (built.changed) console.log(`registry version ${built.document.version}`);
 */
export async function buildRegistryFromFolder(
  folder: string,
  options: BuildFromFolderOptions = {},
): Promise<FolderRegistry> {
  const { now = Date.now, ...buildOptions } = options;
  const plugins = await readPlugins(folder);
  const previous = await readPrevious(folder, buildOptions.version !== undefined);
  const built = composeRegistry({ plugins, previous, options: buildOptions, now: now() });
  return { ...built, path: join(folder, REGISTRY_FILE), pluginCount: plugins.length };
}

async function readPlugins(folder: string): Promise<PluginSource[]> {
  const dir = join(folder, PLUGINS_FOLDER);
  let names: string[];
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    names = entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => e.name);
  } catch (cause) {
    throw new RegistryBuildError(
      'folder_unreadable',
      `cannot read the plugin folder ${dir} (${(cause as Error).message}); ` +
        'a registry folder holds plugins/<id>.json files',
      [],
      cause,
    );
  }
  // Sorted so the order of reports (and of anything else) never depends on the file system.
  names.sort();
  const sources: PluginSource[] = [];
  const issues: BuildIssue[] = [];
  for (const name of names) {
    const file = `${PLUGINS_FOLDER}/${name}`;
    const read = readPluginFile(file, await readFile(join(dir, name), 'utf8'));
    if (read.ok) sources.push({ file, entry: read.value });
    else issues.push(...read.error);
  }
  if (issues.length > 0) {
    const files = new Set(issues.map((i) => i.file)).size;
    throw new RegistryBuildError(
      'plugin_invalid',
      `${files} plugin file${files === 1 ? '' : 's'} in ${dir} do${files === 1 ? 'es' : ''} not match the registry schema:`,
      issues,
    );
  }
  return sources;
}

async function readPrevious(folder: string, versionGiven: boolean): Promise<PreviousRegistry | undefined> {
  const path = join(folder, REGISTRY_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RegistryBuildError(
      'folder_unreadable',
      `cannot read ${path}: ${(cause as Error).message}`,
      [],
      cause,
    );
  }
  let problem: string;
  try {
    const parsed = registryDocumentSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { text, document: parsed.data };
    const first = parsed.error.issues[0];
    problem = `${first?.path.join('.') || '(document)'}: ${first?.message ?? 'invalid'}`;
  } catch (cause) {
    problem = `not valid JSON (${(cause as Error).message})`;
  }
  // With an explicit version the previous one is not needed to number the new one.
  if (versionGiven) return undefined;
  throw new RegistryBuildError(
    'previous_invalid',
    `the existing ${path} is not a valid registry (${problem}), so the next version cannot be worked out: ` +
      'fix or delete it, or pass a version explicitly',
  );
}
