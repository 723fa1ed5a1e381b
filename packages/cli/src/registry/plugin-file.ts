import {
  checkUrl,
  err,
  ok,
  type PluginEntry,
  pluginEntrySchema,
  type Result,
} from '@cartae/marketplace-core';
import type { BuildIssue } from './registry-build-error.ts';
import { canonicalPlugin } from './registry-text.ts';

// Strict on purpose: in an authoring tool an unknown key is almost always a typo of a real one
// ("minAppversion"), and the resolver would silently drop it.
const ENTRY_FIELDS: ReadonlySet<string> = new Set(Object.keys(pluginEntrySchema.shape));

function unknownFields(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.keys(value).filter((key) => !ENTRY_FIELDS.has(key));
}

/**
 * Reads one `plugins/<id>.json` file: JSON, the registry schema's plugin entry (no unknown
 * fields), an https download URL, and an `id` equal to the file name (the Git route
 * `api/plugins/{id}` → `plugins/{id}.json` depends on it). Pure: takes the text, not the path.
 *
 * @example
 * readPluginFile('plugins/kanban.json', text); // { ok: true, value: { id: 'kanban', ... } }
 */
export function readPluginFile(file: string, text: string): Result<PluginEntry, BuildIssue[]> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return err([{ file, field: '', message: `is not valid JSON (${(cause as Error).message})` }]);
  }
  const parsed = pluginEntrySchema.safeParse(value);
  const unknown = unknownFields(value);
  if (!parsed.success || unknown.length > 0) {
    return err([
      ...unknown.map((key) => ({ file, field: '(entry)', message: `Unrecognized key: "${key}"` })),
      ...(parsed.error?.issues ?? []).map((issue) => ({
        file,
        field: issue.path.map(String).join('.') || '(entry)',
        message: issue.message,
      })),
    ]);
  }
  const entry = canonicalPlugin(parsed.data);
  const issues: BuildIssue[] = [];
  const url = checkUrl(entry.downloadUrl);
  if (!url.ok) issues.push({ file, field: 'downloadUrl', message: `downloadUrl ${url.error}` });
  const expectedId = baseName(file);
  if (entry.id !== expectedId) {
    issues.push({
      file,
      field: 'id',
      message: `id "${entry.id}" must match the file name; rename the file to ${entry.id}.json or fix the id`,
    });
  }
  return issues.length > 0 ? err(issues) : ok(entry);
}

function baseName(file: string): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  return name.endsWith('.json') ? name.slice(0, -'.json'.length) : name;
}
