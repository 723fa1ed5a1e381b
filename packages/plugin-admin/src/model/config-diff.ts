import { bySettingOrder } from './config-setting-words.ts';

/** One changed field between two documents, for a readable history. */
export interface FieldChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * The fields that differ between two config documents, nested objects flattened to dotted paths
 * (`autoSwitch.enabled`) even when added or removed whole, arrays compared whole. In the order
 * History lists settings (`bySettingOrder`): known ones as people read them, unknown ones after
 * by path. Pure.
 */
export function diffConfig(
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
): FieldChange[] {
  const changes: FieldChange[] = [];
  walk(before ?? {}, after, '', changes);
  return changes.sort((a, b) => bySettingOrder(a.path, b.path));
}

function walk(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  prefix: string,
  out: FieldChange[],
) {
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const path = prefix ? `${prefix}.${key}` : key;
    const a = before[key];
    const b = after[key];
    // A settings group added or removed whole is listed setting by setting, as History lists it.
    if (isGroup(a) && isGroup(b) && (a !== undefined || b !== undefined)) walk(a ?? {}, b ?? {}, path, out);
    else if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, before: a, after: b });
  }
}

/** A nested settings object (`autoSwitch`), or nothing there. */
function isGroup(value: unknown): value is Record<string, unknown> | undefined {
  return value === undefined || isPlainObject(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
