import type { UsageReport } from '@cartae/marketplace-core';
import {
  addContribution,
  EMPTY_SUMS,
  reportContributions,
  rowId,
  type UsageRowKey,
  type UsageSums,
} from './usage-sums.ts';

/** Distinct (source, config version) rows one minute may hold; a report needing more is refused. */
export const MAX_ROWS_PER_MINUTE = 64;
/**
 * Installs counted per minute, all rows together (one entry per install and row, one more when it
 * was rate-limited). Above the ceiling of a shard (1,000 reports/s × 60 s × 2 sources); past it,
 * `installs` and `rateLimitedInstalls` are lower bounds.
 */
export const MAX_INSTALLS_PER_MINUTE = 150_000;

export type AddOutcome = 'accepted' | 'too_many_rows';

/** A row of an open minute. */
export interface OpenRow {
  readonly key: UsageRowKey;
  readonly sums: UsageSums;
}

/** What storage holds of an open minute: its rows and the installs counted so far. */
export interface SavedMinute {
  readonly minute: number;
  readonly rows: readonly OpenRow[];
  readonly installs: readonly string[];
}

/** What changed since the last checkpoint. */
export interface UnsavedChanges {
  readonly rows: readonly OpenRow[];
  readonly installs: readonly { readonly minute: number; readonly keys: readonly string[] }[];
}

interface OpenMinute {
  readonly rows: Map<string, OpenRow>;
  /**
   * `source:configVersion:installDay` for each install counted in a row, and the same with `:rl`
   * for each counted as rate-limited.
   */
  readonly installs: Set<string>;
  readonly unsavedRows: Set<string>;
  unsavedInstalls: string[];
}

const installKey = (key: UsageRowKey, installDay: string) =>
  `${key.source}:${key.configVersion}:${installDay}`;
const rateLimitedKey = (install: string) => `${install}:rl`;

/**
 * The open minutes of one shard, in memory: rows summed report by report, distinct installs per
 * row in one bounded set per minute, and what is not yet in storage (written by checkpoints, so
 * storage is not written once per report).
 */
export class MinuteBook {
  readonly #minutes = new Map<number, OpenMinute>();
  #unsavedSince: number | undefined;
  /** Installs not counted because a minute's set was full. */
  uncountedInstalls = 0;

  /** A book holding what storage kept (after a restart or an eviction). */
  static restore(saved: readonly SavedMinute[]): MinuteBook {
    const book = new MinuteBook();
    for (const minute of saved) {
      const open = book.#open(minute.minute);
      for (const row of minute.rows) open.rows.set(rowId(row.key), row);
      for (const key of minute.installs) open.installs.add(key);
    }
    return book;
  }

  #open(minute: number): OpenMinute {
    let open = this.#minutes.get(minute);
    if (open === undefined) {
      open = { rows: new Map(), installs: new Set(), unsavedRows: new Set(), unsavedInstalls: [] };
      this.#minutes.set(minute, open);
    }
    return open;
  }

  /** Adds a report to its minute, whole or not at all. */
  add(report: UsageReport, now: number): AddOutcome {
    const contributions = reportContributions(report);
    const open = this.#open(report.minute);
    const newRows = contributions.filter((c) => !open.rows.has(rowId(c.key))).length;
    if (open.rows.size + newRows > MAX_ROWS_PER_MINUTE) {
      if (open.rows.size === 0) this.#minutes.delete(report.minute);
      return 'too_many_rows';
    }
    for (const contribution of contributions) {
      const id = rowId(contribution.key);
      const install = installKey(contribution.key, report.installDay);
      const newInstall = {
        install: this.#countOnce(open, install),
        // A later report of the same install and minute may be the first to see a rate limit.
        rateLimited: contribution.usage.rateLimited > 0 && this.#countOnce(open, rateLimitedKey(install)),
      };
      const sums = open.rows.get(id)?.sums ?? EMPTY_SUMS;
      open.rows.set(id, { key: contribution.key, sums: addContribution(sums, contribution, newInstall) });
      open.unsavedRows.add(id);
    }
    this.#unsavedSince ??= now;
    return 'accepted';
  }

  /** Adds `key` to the minute's counted installs; true when it was not there and fitted. */
  #countOnce(open: OpenMinute, key: string): boolean {
    if (open.installs.has(key)) return false;
    if (open.installs.size >= MAX_INSTALLS_PER_MINUTE) {
      this.uncountedInstalls++;
      return false;
    }
    open.installs.add(key);
    open.unsavedInstalls.push(key);
    return true;
  }

  /** The earliest open minute, if any. */
  earliestMinute(): number | undefined {
    let earliest: number | undefined;
    for (const minute of this.#minutes.keys())
      if (earliest === undefined || minute < earliest) earliest = minute;
    return earliest;
  }

  /** When changes not yet in storage started to accumulate, if there are any. */
  get unsavedSince(): number | undefined {
    return this.#unsavedSince;
  }

  get rowCount(): number {
    let rows = 0;
    for (const open of this.#minutes.values()) rows += open.rows.size;
    return rows;
  }

  /** The changes since the last checkpoint; they count as saved from now on. */
  takeUnsaved(): UnsavedChanges {
    const rows: OpenRow[] = [];
    const installs: { minute: number; keys: string[] }[] = [];
    for (const [minute, open] of this.#minutes) {
      for (const id of open.unsavedRows) {
        const row = open.rows.get(id);
        if (row !== undefined) rows.push(row);
      }
      open.unsavedRows.clear();
      if (open.unsavedInstalls.length > 0) installs.push({ minute, keys: open.unsavedInstalls });
      open.unsavedInstalls = [];
    }
    this.#unsavedSince = undefined;
    return { rows, installs };
  }

  /** Removes and returns every minute up to `lastMinute`, oldest first. */
  closeThrough(lastMinute: number): { readonly minute: number; readonly rows: readonly OpenRow[] }[] {
    const closed = [...this.#minutes.keys()]
      .filter((minute) => minute <= lastMinute)
      .sort((a, b) => a - b)
      .map((minute) => ({ minute, rows: [...(this.#minutes.get(minute)?.rows.values() ?? [])] }));
    for (const { minute } of closed) this.#minutes.delete(minute);
    return closed;
  }
}
