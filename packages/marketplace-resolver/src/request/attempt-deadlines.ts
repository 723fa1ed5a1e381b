import type { Clock } from '../platform/platform.ts';

/** One attempt's deadline: its signal aborts with a TimeoutError once `timeoutMs` have passed. */
export interface AttemptDeadline {
  readonly signal: AbortSignal;
  /** True once the deadline passed and the signal was aborted for it. */
  readonly expired: boolean;
  /** The attempt is over (answered or failed): its signal will not be aborted. */
  settle(): void;
}

class Entry implements AttemptDeadline {
  readonly controller = new AbortController();
  settled = false;

  constructor(readonly at: number) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Only the queue aborts this controller, and only when the deadline passes. */
  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  settle(): void {
    this.settled = true;
  }
}

/** Past this many spent entries at the head, the queue is compacted. */
const COMPACT_AFTER = 1024;

/**
 * Per-attempt timeouts with one timer for all of them. Every attempt gets the same timeout, so
 * deadlines arrive in the order attempts start: a queue, and one timer armed for the oldest
 * deadline. That costs an object and an array push per request where a timer each cost ~0.5 µs
 * and a Timeout object held for the whole timeout (bench/resolver.bench.ts).
 *
 * Settled entries stay queued until their time and are then dropped without a sound. If the clock
 * steps backwards, a later attempt may expire a little after its own deadline, when the one before
 * it does. The timer is unref'd by the clock: it never keeps a process alive.
 */
export class AttemptDeadlines {
  private queue: Entry[] = [];
  private head = 0;
  private timer: unknown;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {}

  start(): AttemptDeadline {
    const now = this.clock.now();
    const entry = new Entry(now + this.timeoutMs);
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
}
