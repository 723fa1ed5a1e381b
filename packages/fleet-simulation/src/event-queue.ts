/**
 * A binary min-heap of events ordered by time, then by insertion order (so two events at the
 * same millisecond always run in the same order: the simulation is deterministic). Events are
 * four numbers kept in parallel typed arrays: no object per event, little garbage.
 */
export class EventQueue {
  private at = new Float64Array(1024);
  private seq = new Float64Array(1024);
  private kind = new Int32Array(1024);
  private target = new Int32Array(1024);
  private arg = new Float64Array(1024);
  private count = 0;
  private nextSeq = 0;

  /** Fields of the event `pop()` returned last. */
  time = 0;
  eventKind = 0;
  eventTarget = 0;
  eventArg = 0;

  get size(): number {
    return this.count;
  }

  push(at: number, kind: number, target: number, arg = 0): void {
    if (this.count === this.at.length) this.grow();
    let i = this.count++;
    const seq = this.nextSeq++;
    // Sift up: move parents down until the new event's place is found.
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      const pAt = this.at[parent] as number;
      if (pAt < at || (pAt === at && (this.seq[parent] as number) < seq)) break;
      this.move(parent, i);
      i = parent;
    }
    this.set(i, at, seq, kind, target, arg);
  }

  /** Removes the earliest event into `time`, `eventKind`, `eventTarget`, `eventArg`. False when empty. */
  pop(): boolean {
    if (this.count === 0) return false;
    this.time = this.at[0] as number;
    this.eventKind = this.kind[0] as number;
    this.eventTarget = this.target[0] as number;
    this.eventArg = this.arg[0] as number;
    const last = --this.count;
    if (last === 0) return true;
    const at = this.at[last] as number;
    const seq = this.seq[last] as number;
    const kind = this.kind[last] as number;
    const target = this.target[last] as number;
    const arg = this.arg[last] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      const right = child + 1;
      if (right < last && this.before(right, child)) child = right;
      const cAt = this.at[child] as number;
      if (at < cAt || (at === cAt && seq < (this.seq[child] as number))) break;
      this.move(child, i);
      i = child;
    }
    this.set(i, at, seq, kind, target, arg);
    return true;
  }

  /** Time of the earliest event, or +Infinity when empty. */
  peekTime(): number {
    return this.count === 0 ? Number.POSITIVE_INFINITY : (this.at[0] as number);
  }

  private before(a: number, b: number): boolean {
    const aAt = this.at[a] as number;
    const bAt = this.at[b] as number;
    return aAt < bAt || (aAt === bAt && (this.seq[a] as number) < (this.seq[b] as number));
  }

  private move(from: number, to: number): void {
    this.at[to] = this.at[from] as number;
    this.seq[to] = this.seq[from] as number;
    this.kind[to] = this.kind[from] as number;
    this.target[to] = this.target[from] as number;
    this.arg[to] = this.arg[from] as number;
  }

  private set(i: number, at: number, seq: number, kind: number, target: number, arg: number): void {
    this.at[i] = at;
    this.seq[i] = seq;
    this.kind[i] = kind;
    this.target[i] = target;
    this.arg[i] = arg;
  }

  private grow(): void {
    const size = this.at.length * 2;
    const widen = <T extends Float64Array | Int32Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old);
      return next;
    };
    this.at = widen(this.at, (n) => new Float64Array(n));
    this.seq = widen(this.seq, (n) => new Float64Array(n));
    this.kind = widen(this.kind, (n) => new Int32Array(n));
    this.target = widen(this.target, (n) => new Int32Array(n));
    this.arg = widen(this.arg, (n) => new Float64Array(n));
  }
}
