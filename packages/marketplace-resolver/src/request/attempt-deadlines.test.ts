import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../test/support/fake-clock.ts';
import { AttemptDeadlines } from './attempt-deadlines.ts';

describe('attempt deadlines', () => {
  it('aborts an attempt with a TimeoutError once its timeout has passed, not before', () => {
    const clock = createFakeClock();
    const deadlines = new AttemptDeadlines(clock, 8000);
    const d = deadlines.start();
    clock.advance(7999);
    expect(d.signal.aborted).toBe(false);
    expect(d.expired).toBe(false);
    clock.advance(1);
    expect(d.signal.aborted).toBe(true);
    expect(d.expired).toBe(true);
    expect((d.signal.reason as DOMException).name).toBe('TimeoutError');
    expect((d.signal.reason as DOMException).message).toBe('no answer within 8000 ms');
  });

  it('gives every attempt its own deadline while holding one timer for all of them', () => {
    const clock = createFakeClock();
    const deadlines = new AttemptDeadlines(clock, 1000);
    const a = deadlines.start();
    clock.advance(300);
    const b = deadlines.start();
    clock.advance(300);
    const c = deadlines.start();
    expect(clock.pending()).toBe(1);
    clock.advance(400); // t = 1000: a is due
    expect([a.expired, b.expired, c.expired]).toEqual([true, false, false]);
    clock.advance(300); // t = 1300: b is due
    expect([b.expired, c.expired]).toEqual([true, false]);
    clock.advance(299);
    expect(c.expired).toBe(false);
    clock.advance(1);
    expect(c.expired).toBe(true);
    expect(clock.pending()).toBe(0);
  });

  it('never aborts a settled attempt, and stops its timer once nothing is pending', () => {
    const clock = createFakeClock();
    const deadlines = new AttemptDeadlines(clock, 1000);
    const settled = deadlines.start();
    const open = deadlines.start();
    settled.settle();
    clock.advance(1000);
    expect(settled.signal.aborted).toBe(false);
    expect(settled.expired).toBe(false);
    expect(open.expired).toBe(true);
    expect(clock.pending()).toBe(0);
    // A new attempt after the queue drained arms a fresh timer.
    const later = deadlines.start();
    expect(clock.pending()).toBe(1);
    clock.advance(1000);
    expect(later.expired).toBe(true);
  });

  it('keeps every deadline right across the queue compaction of long sessions', () => {
    const clock = createFakeClock();
    const deadlines = new AttemptDeadlines(clock, 100);
    const all = [];
    for (let i = 0; i < 5000; i++) {
      all.push(deadlines.start());
      clock.advance(1);
      if (i % 3 === 0) all[i]?.settle();
    }
    clock.advance(100);
    all.forEach((d, i) => {
      expect(d.expired).toBe(i % 3 !== 0);
    });
    expect(clock.pending()).toBe(0);
  });

  it('still expires an attempt when the clock stepped backwards, no later than the one before it', () => {
    let now = 10_000;
    const base = createFakeClock();
    const clock = { ...base, now: () => now };
    const timers: (() => void)[] = [];
    clock.setTimeout = (fn: () => void) => {
      timers.push(fn);
      return timers.length;
    };
    const deadlines = new AttemptDeadlines(clock, 1000);
    const first = deadlines.start(); // due at 11,000
    now = 5_000;
    const second = deadlines.start(); // due at 6,000, queued behind the first
    now = 11_000;
    timers.shift()?.();
    expect(first.expired).toBe(true);
    expect(second.expired).toBe(true);
  });

  it('lets a body that keeps arriving run past the first-byte limit, on a timer of its own', () => {
    const clock = createFakeClock();
    const deadlines = new AttemptDeadlines(clock, 1000, { stallMs: 500, downloadMs: 20_000 });
    const d = deadlines.start();
    clock.advance(100);
    d.reading();
    for (let t = 0; t < 30; t++) {
      clock.advance(400);
      d.progress();
    }
    expect(d.expired).toBe(false); // 12.1 s of steady bytes would have been cut at 1 s before
    expect(clock.pending()).toBe(1);
    d.settle();
    expect(clock.pending()).toBe(0);
  });

  it('cuts a body that stalls, never before the first-byte limit, and one that outlasts the ceiling', () => {
    const clock = createFakeClock();
    const deadlines = new AttemptDeadlines(clock, 1000, { stallMs: 500, downloadMs: 3000 });
    const stalled = deadlines.start();
    const trickling = deadlines.start();
    stalled.reading();
    trickling.reading();
    clock.advance(999);
    expect(stalled.expired).toBe(false); // silent for 999 ms, but the first-byte limit still holds
    trickling.progress();
    clock.advance(1);
    expect((stalled.signal.reason as DOMException).message).toBe('the body stalled: no bytes for 500 ms');
    expect((stalled.signal.reason as DOMException).name).toBe('TimeoutError');
    for (let t = 0; t < 19; t++) {
      clock.advance(100);
      trickling.progress();
    }
    expect(trickling.expired).toBe(false); // t = 2900, bytes 100 ms apart
    clock.advance(100);
    expect((trickling.signal.reason as DOMException).message).toBe(
      'the download did not finish within 3000 ms',
    );
  });
});
