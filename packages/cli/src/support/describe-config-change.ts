/**
 * The fields that differ between two config documents, as lines a person confirms:
 * `rolloutGuard.enabled: true → false`. Nested objects are flattened to dotted paths, arrays
 * compared whole, `—` for absent (a block added or removed whole too: field by field). Sorted by path. Pure.
 */
export function describeConfigChange(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): string[] {
  const lines: string[] = [];
  walk(before, after, '', lines);
  return lines.sort();
}

function walk(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  prefix: string,
  out: string[],
) {
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const path = prefix ? `${prefix}.${key}` : key;
    const [a, b] = [before[key], after[key]];
    // A block added or removed whole is listed field by field, as a change within it would be.
    if ((isPlainObject(a) || a === undefined) && (isPlainObject(b) || b === undefined))
      walk(a ?? {}, b ?? {}, path, out);
    else if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path}: ${shown(a)} → ${shown(b)}`);
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const shown = (value: unknown): string =>
  value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value);
