import type { UsageAggregateRow } from '@cartae/marketplace-core';
import type { OpenRow, SavedMinute, UnsavedChanges } from './minute-book.ts';
import type { UsageRowKey, UsageSums } from './usage-sums.ts';

/**
 * The aggregator's SQLite tables (Durable Object storage), so a shard's rows survive an eviction
 * or a restart: open minutes (rows and counted installs, written by checkpoints), closed rows
 * waiting for the control plane, and the shard's state. Synchronous, as the Durable Object SQL API
 * is; callers catch.
 */
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS open_rows (
     minute INTEGER NOT NULL, source TEXT NOT NULL, config_version INTEGER NOT NULL, sums TEXT NOT NULL,
     PRIMARY KEY (minute, source, config_version))`,
  // One row per checkpoint and minute: the installs counted since the previous one, comma-separated.
  'CREATE TABLE IF NOT EXISTS open_installs (minute INTEGER NOT NULL, keys TEXT NOT NULL)',
  `CREATE TABLE IF NOT EXISTS pending_rows (
     minute INTEGER NOT NULL, source TEXT NOT NULL, config_version INTEGER NOT NULL, row TEXT NOT NULL,
     PRIMARY KEY (minute, source, config_version))`,
  'CREATE TABLE IF NOT EXISTS aggregator_state (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL)',
];

type OpenRowRecord = { minute: number; source: string; config_version: number; sums: string };

export class AggregatorStore {
  readonly #storage: DurableObjectStorage;

  constructor(storage: DurableObjectStorage) {
    this.#storage = storage;
    for (const statement of SCHEMA) storage.sql.exec(statement);
  }

  #exec<T extends Record<string, SqlStorageValue>>(query: string, ...bindings: unknown[]) {
    return this.#storage.sql.exec<T>(query, ...bindings);
  }

  /** The open minutes as the last checkpoint left them. */
  loadOpenMinutes(): SavedMinute[] {
    const minutes = new Map<number, { rows: OpenRow[]; installs: string[] }>();
    const at = (minute: number) => {
      let entry = minutes.get(minute);
      if (entry === undefined) {
        entry = { rows: [], installs: [] };
        minutes.set(minute, entry);
      }
      return entry;
    };
    for (const record of this.#exec<OpenRowRecord>(
      'SELECT minute, source, config_version, sums FROM open_rows',
    )) {
      const key = { minute: record.minute, source: record.source, configVersion: record.config_version };
      at(record.minute).rows.push({ key: key as UsageRowKey, sums: JSON.parse(record.sums) as UsageSums });
    }
    for (const record of this.#exec<{ minute: number; keys: string }>(
      'SELECT minute, keys FROM open_installs',
    )) {
      at(record.minute).installs.push(...record.keys.split(','));
    }
    return [...minutes].map(([minute, entry]) => ({ minute, ...entry }));
  }

  /** Writes a checkpoint: one row per changed row, one per minute for the installs counted since. */
  saveCheckpoint(changes: UnsavedChanges): void {
    this.#storage.transactionSync(() => {
      for (const { key, sums } of changes.rows) {
        this.#exec(
          `INSERT INTO open_rows (minute, source, config_version, sums) VALUES (?, ?, ?, ?)
           ON CONFLICT (minute, source, config_version) DO UPDATE SET sums = excluded.sums`,
          key.minute,
          key.source,
          key.configVersion,
          JSON.stringify(sums),
        );
      }
      for (const { minute, keys } of changes.installs) {
        this.#exec('INSERT INTO open_installs (minute, keys) VALUES (?, ?)', minute, keys.join(','));
      }
    });
  }

  /** Moves closed minutes' rows to the rows waiting for the control plane, in one transaction. */
  closeMinutes(
    closed: readonly { readonly minute: number; readonly rows: readonly UsageAggregateRow[] }[],
  ): void {
    if (closed.length === 0) return;
    this.#storage.transactionSync(() => {
      for (const { minute, rows } of closed) {
        for (const row of rows) {
          this.#exec(
            `INSERT INTO pending_rows (minute, source, config_version, row) VALUES (?, ?, ?, ?)
             ON CONFLICT (minute, source, config_version) DO UPDATE SET row = excluded.row`,
            minute,
            row.source,
            row.configVersion,
            JSON.stringify(row),
          );
        }
        this.#exec('DELETE FROM open_rows WHERE minute = ?', minute);
        this.#exec('DELETE FROM open_installs WHERE minute = ?', minute);
      }
    });
  }

  /**
   * The oldest waiting minutes, whole, up to `maxRows` rows (at least one minute), with the last
   * minute included: what one call to the control plane carries.
   */
  pendingBatch(maxRows: number): { rows: UsageAggregateRow[]; throughMinute: number } | undefined {
    const records = this.#exec<{ minute: number; row: string }>(
      'SELECT minute, row FROM pending_rows ORDER BY minute, source, config_version',
    ).toArray();
    if (records.length === 0) return undefined;
    const rows: UsageAggregateRow[] = [];
    let throughMinute = records[0]?.minute ?? 0;
    for (let i = 0; i < records.length; ) {
      const minute = records[i]?.minute ?? 0;
      let end = i;
      while (end < records.length && records[end]?.minute === minute) end++;
      if (rows.length > 0 && rows.length + (end - i) > maxRows) break;
      for (const record of records.slice(i, end)) rows.push(JSON.parse(record.row) as UsageAggregateRow);
      throughMinute = minute;
      i = end;
    }
    return { rows, throughMinute };
  }

  /** Forgets waiting rows up to a minute, once the control plane has them. */
  deletePendingThrough(minute: number): void {
    this.#exec('DELETE FROM pending_rows WHERE minute <= ?', minute);
  }

  /** Drops waiting rows of minutes before `minute`; returns how many. */
  dropPendingBefore(minute: number): number {
    const dropped = this.#exec<{ n: number }>(
      'SELECT COUNT(*) AS n FROM pending_rows WHERE minute < ?',
      minute,
    ).one().n;
    if (dropped > 0) this.#exec('DELETE FROM pending_rows WHERE minute < ?', minute);
    return dropped;
  }

  pendingRowCount(): number {
    return this.#exec<{ n: number }>('SELECT COUNT(*) AS n FROM pending_rows').one().n;
  }

  readState(): unknown {
    const record = this.#exec<{ state: string }>(
      'SELECT state FROM aggregator_state WHERE id = 1',
    ).toArray()[0];
    return record === undefined ? undefined : JSON.parse(record.state);
  }

  writeState(state: unknown): void {
    this.#exec(
      'INSERT INTO aggregator_state (id, state) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state',
      JSON.stringify(state),
    );
  }
}
