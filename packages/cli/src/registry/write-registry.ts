import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  type BuildFromFolderOptions,
  buildRegistryFromFolder,
  type FolderRegistry,
} from './build-registry.ts';

/**
 * Writes `text` to `path` atomically: a temporary file in the same folder, then a rename, so a
 * reader (the local Git host, a deploy) sees the old bytes or the new ones, never half a file.
 *
 * @example
 * await writeFileAtomic('registry/registry.json', built.text);
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await writeFile(temporary, text, { encoding: 'utf8', flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Builds the registry of `folder` and writes `{folder}/registry.json` when its bytes change
 * (an unchanged registry is left alone, file time included). What `cartae-marketplace registry
 * build` runs.
 *
 * @example
 * const built = await writeRegistry('registry');
 * console.log(built.changed ? `wrote version ${built.document.version}` : 'registry.json is up to date');
 */
export async function writeRegistry(
  folder: string,
  options: BuildFromFolderOptions = {},
): Promise<FolderRegistry> {
  const built = await buildRegistryFromFolder(folder, options);
  if (built.changed) await writeFileAtomic(built.path, built.text);
  return built;
}
