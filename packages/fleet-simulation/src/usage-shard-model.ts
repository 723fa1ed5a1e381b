/**
 * One shard of the Worker's usage aggregation (`UsageAggregator`, a Durable Object per shard;
 * infrastructure/cloudflare-worker/src/usage/), step for step: reports summed per minute × source
 * × config version, distinct installs and rate-limited installs counted once per row; a checkpoint
 * of unsaved rows at most every {@link CHECKPOINT_MS} (the first after a quiet spell at once); an
 * alarm when a minute closes ({@link SETTLE_MS} after its end) that checkpoints, moves the closed
 * rows to the pending table and sends them to the control plane in one call, at most one call per
 * {@link MIN_FLUSH_GAP_MS}. Instead of SQLite, it counts the rows each statement writes (inserts,
 * upserts and deletes). A test checks the constants and `nextAlarmAt` against the Worker's own.
 */

/** The Worker's `MINUTE_MS`, `SETTLE_MS`, `CHECKPOINT_MS` (usage-schedule.ts) and `MIN_FLUSH_GAP_MS` (flush-state.ts). */
export const MINUTE_MS = 60_000;
export const SETTLE_MS = 30_000;
export const CHECKPOINT_MS = 10_000;
export const MIN_FLUSH_GAP_MS = 60_000;
/** The Worker's `DEFAULT_USAGE_SHARDS` (usage-shard.ts). */
export const DEFAULT_USAGE_SHARDS = 8;

/** When a minute stops taking reports and its rows are sent (the Worker's `minuteClosesAt`). */
export function minuteClosesAt(minute: number): number {
  return minute + MINUTE_MS + SETTLE_MS;
}

/** The latest minute closed at `now` (the Worker's `lastClosedMinute`). */
export function lastClosedMinute(now: number): number {
  return Math.floor((now - MINUTE_MS - SETTLE_MS) / MINUTE_MS) * MINUTE_MS;
}

/** The Worker's `nextAlarmAt` with a flush state reduced to "delivered at" (the control plane never fails here). */
export function nextAlarmAt(
  inputs: {
    readonly earliestOpenMinute: number | undefined;
    readonly unsavedSince: number | undefined;
    readonly hasPending: boolean;
    /** When the last call to the control plane went out; undefined: never (idle). */
    readonly deliveredAt: number | undefined;
  },
  now: number,
): number | undefined {
  const candidates: number[] = [];
  if (inputs.earliestOpenMinute !== undefined) candidates.push(minuteClosesAt(inputs.earliestOpenMinute));
  if (inputs.unsavedSince !== undefined) candidates.push(inputs.unsavedSince + CHECKPOINT_MS);
  if (inputs.hasPending)
    candidates.push(inputs.deliveredAt === undefined ? 0 : inputs.deliveredAt + MIN_FLUSH_GAP_MS);
  if (candidates.length === 0) return undefined;
  return Math.max(now, Math.min(...candidates));
}

/** The sums of one row (minute × source × config version), as far as the automation reads them. */
export interface UsageRowSums {
  readonly minute: number;
  readonly source: 'git' | 'cloudflare';
  readonly version: number;
  requests: number;
  rateLimited: number;
  installs: number;
  rateLimitedInstalls: number;
}

/** One source of one report, as the shard adds it. */
export interface ReportContribution {
  readonly source: 'git' | 'cloudflare';
  readonly requests: number;
  readonly rateLimited: number;
}

/**
 * Why rows are written to a shard's storage: a checkpoint (open rows upserted, one install list
 * per minute); a minute closing (pending rows inserted, its open rows and install lists deleted);
 * a call to the control plane (the batch in flight inserted then deleted, pending rows deleted);
 * the shard's state row, rewritten by each of those.
 */
export type WriteCause = 'checkpoint' | 'close' | 'flush' | 'state';

interface OpenMinute {
  readonly rows: Map<string, UsageRowSums>;
  readonly installs: Set<string>;
  readonly unsavedRows: Set<string>;
  unsavedInstalls: number;
  /** Rows of this minute already in storage, and install lists written for it. */
  readonly savedRows: Set<string>;
  savedInstallLists: number;
}

/** What a shard asks of the world: an alarm, rows written, a call to the control plane. */
export interface ShardHost {
  setAlarm(shard: number, at: number, token: number): void;
  rowsWritten(now: number, rows: number, cause: WriteCause): void;
  /** A checkpoint that wrote something (one storage transaction). */
  checkpointed(now: number): void;
  /** One call to `ingest_usage_aggregates` with the closed rows. */
  deliver(now: number, rows: readonly UsageRowSums[]): void;
}

export type AddOutcome = 'accepted' | 'late';

export class UsageShardModel {
  private readonly minutes = new Map<number, OpenMinute>();
  private unsavedSince: number | undefined;
  private lastCheckpointAt = Number.NEGATIVE_INFINITY;
  private closedThrough: number | null = null;
  private pending: UsageRowSums[] = [];
  private deliveredAt: number | undefined;
  private alarmAt: number | null = null;
  private alarmToken = 0;

  constructor(
    readonly shard: number,
    private readonly host: ShardHost,
  ) {}

  /** `UsageAggregator.add`: a report of `install` for `minute`, at `now`. */
  add(
    install: number,
    minute: number,
    version: number,
    contributions: readonly ReportContribution[],
    now: number,
  ): AddOutcome {
    if (this.closedThrough !== null && minute <= this.closedThrough) {
      this.scheduleAlarm(now);
      return 'late';
    }
    const open = this.open(minute);
    for (const c of contributions) this.addContribution(open, install, minute, version, c);
    this.unsavedSince ??= now;
    if (now - this.lastCheckpointAt >= CHECKPOINT_MS) this.checkpoint(now);
    this.scheduleAlarm(now);
    return 'accepted';
  }

  private addContribution(
    open: OpenMinute,
    install: number,
    minute: number,
    version: number,
    c: ReportContribution,
  ): void {
    const id = `${c.source}:${version}`;
    let row = open.rows.get(id);
    if (row === undefined) {
      row = {
        minute,
        source: c.source,
        version,
        requests: 0,
        rateLimited: 0,
        installs: 0,
        rateLimitedInstalls: 0,
      };
      open.rows.set(id, row);
    }
    row.requests += c.requests;
    row.rateLimited += c.rateLimited;
    const key = `${id}:${install}`;
    if (!open.installs.has(key)) {
      open.installs.add(key);
      open.unsavedInstalls++;
      row.installs++;
    }
    if (c.rateLimited > 0 && !open.installs.has(`${key}:rl`)) {
      open.installs.add(`${key}:rl`);
      open.unsavedInstalls++;
      row.rateLimitedInstalls++;
    }
    open.unsavedRows.add(id);
  }

  /** `UsageAggregator.alarm`. Stale tokens (an alarm replaced by an earlier one) are ignored. */
  alarm(token: number, now: number): void {
    if (token !== this.alarmToken) return;
    this.alarmAt = null;
    this.checkpoint(now);
    this.closeDueMinutes(now);
    if (this.deliveredAt === undefined || now >= this.deliveredAt + MIN_FLUSH_GAP_MS) this.flush(now);
    this.scheduleAlarm(now);
  }

  private open(minute: number): OpenMinute {
    let open = this.minutes.get(minute);
    if (open === undefined) {
      open = {
        rows: new Map(),
        installs: new Set(),
        unsavedRows: new Set(),
        unsavedInstalls: 0,
        savedRows: new Set(),
        savedInstallLists: 0,
      };
      this.minutes.set(minute, open);
    }
    return open;
  }

  private checkpoint(now: number): void {
    this.lastCheckpointAt = now;
    if (this.unsavedSince === undefined) return;
    let rows = 0;
    for (const open of this.minutes.values()) {
      for (const id of open.unsavedRows) open.savedRows.add(id);
      rows += open.unsavedRows.size;
      open.unsavedRows.clear();
      if (open.unsavedInstalls > 0) {
        rows++;
        open.savedInstallLists++;
        open.unsavedInstalls = 0;
      }
    }
    this.unsavedSince = undefined;
    this.host.checkpointed(now);
    this.host.rowsWritten(now, rows, 'checkpoint');
    this.host.rowsWritten(now, 1, 'state');
  }

  private closeDueMinutes(now: number): void {
    const through = Math.max(this.closedThrough ?? Number.NEGATIVE_INFINITY, lastClosedMinute(now));
    const closed = [...this.minutes.keys()].filter((m) => m <= through).sort((a, b) => a - b);
    let rows = 0;
    for (const minute of closed) {
      const open = this.minutes.get(minute) as OpenMinute;
      // Pending rows inserted; the minute's open rows and install lists deleted.
      rows += open.rows.size + open.savedRows.size + open.savedInstallLists;
      this.pending.push(...open.rows.values());
      this.minutes.delete(minute);
    }
    if (rows > 0) this.host.rowsWritten(now, rows, 'close');
    this.closedThrough = through;
    this.host.rowsWritten(now, 1, 'state');
  }

  private flush(now: number): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    // sending_batch inserted, pending rows deleted; then, once delivered, sending_batch deleted.
    this.host.rowsWritten(now, 1 + batch.length + 1, 'flush');
    this.host.deliver(now, batch);
    this.deliveredAt = now;
    this.host.rowsWritten(now, 1, 'state');
  }

  private earliestMinute(): number | undefined {
    let earliest: number | undefined;
    for (const minute of this.minutes.keys())
      if (earliest === undefined || minute < earliest) earliest = minute;
    return earliest;
  }

  private scheduleAlarm(now: number): void {
    const wanted = nextAlarmAt(
      {
        earliestOpenMinute: this.earliestMinute(),
        unsavedSince: this.unsavedSince,
        hasPending: this.pending.length > 0,
        deliveredAt: this.deliveredAt,
      },
      now,
    );
    if (wanted === undefined) return;
    if (this.alarmAt === null || wanted < this.alarmAt) {
      this.alarmAt = wanted;
      this.alarmToken++;
      this.host.setAlarm(this.shard, wanted, this.alarmToken);
    }
  }
}
