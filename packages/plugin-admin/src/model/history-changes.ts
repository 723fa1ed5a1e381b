import { diffConfig } from './config-diff.ts';
import { settingName, settingValue } from './config-setting-words.ts';

/** One changed setting, in words: `Cache TTL: 30 s → 60 s`. */
export interface ChangeLine {
  /** The document path (`autoSwitch.enabled`), for keys and for settings this panel does not know. */
  readonly path: string;
  readonly label: string;
  readonly before: string;
  readonly after: string;
}

/**
 * What changed between two config documents, setting by setting, in words: known settings by
 * the words the review step uses too (`config-setting-words.ts`), with their units
 * (`Cache TTL: 30 s → 60 s`), in a fixed order; settings this panel does not know by their
 * path, after them. A setting absent on one side reads "not set". Pure.
 *
 * @example
 * describeChanges({ cacheTtlSeconds: 30 }, { cacheTtlSeconds: 60 });
 * // [{ path: 'cacheTtlSeconds', label: 'Cache TTL', before: '30 s', after: '60 s' }]
 */
export function describeChanges(before: unknown, after: unknown): ChangeLine[] {
  return diffConfig(asDocument(before), asDocument(after) ?? {}).map(({ path, before: a, after: b }) => ({
    path,
    label: settingName(path),
    before: settingValue(path, a),
    after: settingValue(path, b),
  }));
}

/** A history row's old or new value as a document (a row may hold none: the first version). */
function asDocument(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}
