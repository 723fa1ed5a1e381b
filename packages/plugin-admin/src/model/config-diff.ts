/** One changed field between two documents, for a readable history. */
export interface FieldChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * The fields that differ between two config documents, nested objects flattened to dotted paths
 * (`autoSwitch.enabled`), arrays compared whole. Sorted by path. Pure.
 */
export function diffConfig(
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
): FieldChange[] {
  const changes: FieldChange[] = [];
  walk(before ?? {}, after, '', changes);
  return changes.sort((a, b) => a.path.localeCompare(b.path));
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
    if (isPlainObject(a) && isPlainObject(b)) walk(a, b, path, out);
    else if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, before: a, after: b });
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A value as the history shows it: `—` for absent, JSON otherwise. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
