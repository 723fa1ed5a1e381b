import type { HistoryEntry } from '@cartae/plugin-admin/service';
import { localTime } from './local-time.ts';

const COLUMNS = ['entry', 'version', 'changed', 'origin', 'source', 'by', 'reason'] as const;
/** Numbers line up on the right, as in any table of figures. */
const RIGHT: ReadonlySet<string> = new Set(['entry', 'version']);

function row(e: HistoryEntry): Record<(typeof COLUMNS)[number], string> {
  const d = e.newValue;
  const priority = Array.isArray(d.priority) ? d.priority.join(' → ') : '';
  return {
    entry: String(e.id),
    version: String(e.version),
    changed: localTime(e.changedAt),
    origin: e.origin,
    source: d.type === 'hybrid' && priority ? `hybrid (${priority})` : String(d.type),
    by: e.changedByName ? `${e.changedByName} <${e.changedByEmail}>` : (e.changedByEmail ?? 'system'),
    reason: e.reason ? `“${e.reason}”` : '',
  };
}

/**
 * The history as a table a person reads: a header, then one line per change with every column as
 * wide as its widest cell, so nothing drifts whatever the ids, names or dates. `entry` is what
 * `rollback` takes; `version` is the config version that change made. Local time. Pure.
 */
export function describeHistory(entries: readonly HistoryEntry[]): string {
  if (entries.length === 0) return 'no changes recorded';
  const rows = entries.map(row);
  const header = Object.fromEntries(COLUMNS.map((c) => [c, c === 'changed' ? 'changed (local)' : c]));
  const width = (c: (typeof COLUMNS)[number]) =>
    Math.max(header[c]?.length ?? 0, ...rows.map((r) => r[c].length));
  const line = (cells: Record<string, string>) =>
    COLUMNS.map((c, i) => {
      const cell = cells[c] ?? '';
      if (i === COLUMNS.length - 1) return cell;
      return RIGHT.has(c) ? cell.padStart(width(c)) : cell.padEnd(width(c));
    })
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
