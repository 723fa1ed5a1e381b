import type { UsageAggregateRow } from '@cartae/marketplace-core';
import type { OpenRow, SavedMinute, UnsavedChanges } from './minute-book.ts';
import type { UsageBatch } from './usage-batch.ts';
import { readSums, type UsageRowKey } from './usage-sums.ts';

/**
 * The aggregator's SQLite tables (Durable Object storage), so a shard's rows survive an eviction
 * or a restart: open minutes (rows and counted installs, written by checkpoints), closed rows
 * waiting for the control plane, the batch being delivered (id and rows fixed until the control
 * plane has it), and the shard's state. Synchronous, as the Durable Object SQL API is; callers
 * catch.
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
  // At most one batch in flight: its rows left pending_rows when it was first sent.
  `CREATE TABLE IF NOT EXISTS sending_batch (
     id INTEGER PRIMARY KEY CHECK (id = 1), batch_id TEXT NOT NULL, first_minute INTEGER NOT NULL,
     row_count INTEGER NOT NULL, rows TEXT NOT NULL)`,
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
      at(record.minute).rows.push({ key: key as UsageRowKey, sums: readSums(JSON.parse(record.sums)) });
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
   * The batch to send: the one in flight if there is one (same id, same rows), else a new one of
   * the oldest waiting minutes, whole, up to `maxRows` rows (at least one minute), moved out of the
   * waiting rows in one transaction. `idFor` names a new batch from its first minute.
   */
  batchToSend(maxRows: number, idFor: (firstMinute: number) => string): UsageBatch | undefined {
    const sending = this.#exec<{ batch_id: string; first_minute: number; rows: string }>(
      'SELECT batch_id, first_minute, rows FROM sending_batch WHERE id = 1',
    ).toArray()[0];
    if (sending !== undefined) {
      return {
        id: sending.batch_id,
        firstMinute: sending.first_minute,
        rows: JSON.parse(sending.rows) as UsageAggregateRow[],
      };
    }
    const records = this.#exec<{ minute: number; row: string }>(
      'SELECT minute, row FROM pending_rows ORDER BY minute, source, config_version',
    ).toArray();
    const firstMinute = records[0]?.minute;
    if (firstMinute === undefined) return undefined;
    const rows: UsageAggregateRow[] = [];
    let throughMinute = firstMinute;
    for (let i = 0; i < records.length; ) {
      const minute = records[i]?.minute ?? 0;
      let end = i;
      while (end < records.length && records[end]?.minute === minute) end++;
      if (rows.length > 0 && rows.length + (end - i) > maxRows) break;
      for (const record of records.slice(i, end)) rows.push(JSON.parse(record.row) as UsageAggregateRow);
      throughMinute = minute;
      i = end;
    }
    const batch = { id: idFor(firstMinute), firstMinute, rows };
    this.#storage.transactionSync(() => {
      this.#exec(
        'INSERT INTO sending_batch (id, batch_id, first_minute, row_count, rows) VALUES (1, ?, ?, ?, ?)',
        batch.id,
        firstMinute,
        rows.length,
        JSON.stringify(rows),
      );
      this.#exec('DELETE FROM pending_rows WHERE minute <= ?', throughMinute);
    });
    return batch;
  }

  /** Forgets the batch in flight, once the control plane has it (or refused it). */
  settleBatch(): void {
    this.#exec('DELETE FROM sending_batch');
  }

  /**
   * Drops waiting rows of minutes before `minute`, and the batch in flight, whole, when its first
   * minute is: its rows stay as they were first sent or go together. Returns how many rows.
   */
  dropPendingBefore(minute: number): number {
    const count = (query: string) => this.#exec<{ n: number }>(query, minute).one().n;
    const rows = count('SELECT COUNT(*) AS n FROM pending_rows WHERE minute < ?');
    const batched = count(
      'SELECT COALESCE(SUM(row_count), 0) AS n FROM sending_batch WHERE first_minute < ?',
    );
    if (rows > 0) this.#exec('DELETE FROM pending_rows WHERE minute < ?', minute);
    if (batched > 0) this.#exec('DELETE FROM sending_batch WHERE first_minute < ?', minute);
    return rows + batched;
  }

  /** Closed rows not yet delivered: waiting, and in the batch in flight. */
  pendingRowCount(): number {
    return this.#exec<{ n: number }>(
      `SELECT (SELECT COUNT(*) FROM pending_rows)
            + (SELECT COALESCE(SUM(row_count), 0) FROM sending_batch) AS n`,
    ).one().n;
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
