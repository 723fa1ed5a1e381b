import type { Clock } from '../platform/platform.ts';
import { type BodyLimits, bodyVerdict, DEFAULT_DOWNLOAD_TIMEOUT_MS } from './body-limits.ts';

/**
 * One attempt's deadline, by the rule in `body-limits.ts`: its signal aborts with a TimeoutError
 * when the answer does not start within the first-byte limit, or, once its body is being read,
 * when the body stalls or the attempt outlasts the download ceiling.
 */
export interface AttemptDeadline {
  readonly signal: AbortSignal;
  /** True once a limit passed and the signal was aborted for it. */
  readonly expired: boolean;
  /** The headers arrived and the body is being read: from now on a stall or the ceiling cuts it. */
  reading(): void;
  /** Some of the body arrived. Readers call it per chunk (`readBoundedBody`). */
  progress(): void;
  /** The attempt is over (answered or failed): its signal will not be aborted. */
  settle(): void;
}

class Entry implements AttemptDeadline {
  readonly controller = new AbortController();
  settled = false;
  /** Set once the body is being read; the time of the last bytes (the headers, at first). */
  lastByteAt: number | undefined;
  watch: unknown;

  constructor(
    private readonly owner: AttemptDeadlines,
    readonly startedAt: number,
    readonly at: number,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Only the deadlines abort this controller, and only when a limit passes. */
  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  reading(): void {
    this.lastByteAt ??= this.owner.clock.now();
  }

  progress(): void {
    this.lastByteAt = this.owner.clock.now();
  }

  settle(): void {
    this.settled = true;
    if (this.watch !== undefined) this.owner.clock.clearTimeout(this.watch);
    this.watch = undefined;
  }
}

/** Past this many spent entries at the head, the queue is compacted. */
const COMPACT_AFTER = 1024;

/**
 * Per-attempt timeouts with one timer for all of them. Every attempt gets the same first-byte
 * limit, so those deadlines arrive in the order attempts start: a queue, and one timer armed for
 * the oldest deadline. That costs an object and an array push per request where a timer each cost
 * ~0.5 µs and a Timeout object held for the whole timeout (bench/resolver.bench.ts).
 *
 * An attempt still reading its body when its first-byte deadline comes is not cut for it: it
 * leaves the queue for a timer of its own that checks stalls and the ceiling (`bodyVerdict`).
 * Only large bodies on slow networks get that far, so the hot path keeps its single timer.
 *
 * Settled entries stay queued until their time and are then dropped without a sound. If the clock
 * steps backwards, a later attempt may expire a little after its own deadline, when the one before
 * it does. Timers are unref'd by the clock: they never keep a process alive.
 */
export class AttemptDeadlines {
  private queue: Entry[] = [];
  private head = 0;
  private timer: unknown;
  private readonly body: BodyLimits;

  constructor(
    readonly clock: Clock,
    private readonly timeoutMs: number,
    body: Partial<BodyLimits> = {},
  ) {
    this.body = {
      stallMs: body.stallMs ?? timeoutMs,
      downloadMs: Math.max(timeoutMs, body.downloadMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS),
    };
  }

  start(): AttemptDeadline {
    const now = this.clock.now();
    const entry = new Entry(this, now, now + this.timeoutMs);
    this.queue.push(entry);
    if (this.timer === undefined) this.arm(entry.at, now);
    return entry;
  }

  private arm(at: number, now: number): void {
    this.timer = this.clock.setTimeout(() => this.expire(), Math.max(0, at - now));
  }

  private expire(): void {
    this.timer = undefined;
    const now = this.clock.now();
    let reason: DOMException | undefined;
    while (this.head < this.queue.length) {
      const entry = this.queue[this.head] as Entry;
      if (entry.at > now) break;
      this.head++;
      if (entry.settled) continue;
      if (entry.lastByteAt !== undefined) {
        this.watchBody(entry, now);
        continue;
      }
      reason ??= new DOMException(`no answer within ${this.timeoutMs} ms`, 'TimeoutError');
      entry.controller.abort(reason);
    }
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
      return;
    }
    // Compacting only once the spent head outweighs the rest keeps each entry copied O(1) times.
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.arm((this.queue[this.head] as Entry).at, now);
  }

  /** A body past the first-byte limit: cut it if it broke the rule, else look again when it might. */
  private watchBody(entry: Entry, now: number): void {
    entry.watch = undefined;
    if (entry.settled) return;
    const verdict = bodyVerdict(
      { startedAt: entry.startedAt, lastByteAt: entry.lastByteAt ?? entry.startedAt },
      this.body,
      now,
    );
    if (verdict.kind === 'cut') {
      entry.controller.abort(new DOMException(verdict.message, 'TimeoutError'));
      return;
    }
    entry.watch = this.clock.setTimeout(() => this.watchBody(entry, this.clock.now()), verdict.until - now);
  }
}
