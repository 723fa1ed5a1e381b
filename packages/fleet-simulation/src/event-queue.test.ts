import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.ts';
import { createPrng } from './prng.ts';

function drain(queue: EventQueue): { time: number; kind: number; target: number; arg: number }[] {
  const out = [];
  while (queue.pop()) {
    out.push({ time: queue.time, kind: queue.eventKind, target: queue.eventTarget, arg: queue.eventArg });
  }
  return out;
}

describe('EventQueue', () => {
  it('pops events in time order, ties in the order they were pushed', () => {
    const queue = new EventQueue();
    queue.push(30, 1, 0);
    queue.push(10, 2, 0);
    queue.push(20, 3, 0);
    queue.push(10, 4, 0);
    queue.push(10, 5, 0, 0.5);
    expect(drain(queue).map((e) => [e.time, e.kind])).toEqual([
      [10, 2],
      [10, 4],
      [10, 5],
      [20, 3],
      [30, 1],
    ]);
  });

  it('keeps target and argument with their event', () => {
    const queue = new EventQueue();
    queue.push(5, 7, 42, 1234.5);
    expect(queue.peekTime()).toBe(5);
    expect(drain(queue)).toEqual([{ time: 5, kind: 7, target: 42, arg: 1234.5 }]);
    expect(queue.pop()).toBe(false);
    expect(queue.peekTime()).toBe(Number.POSITIVE_INFINITY);
  });

  it('matches a reference model over 20,000 interleaved pushes and pops', () => {
    const rng = createPrng(3, 'queue-test');
    const queue = new EventQueue();
    // Reference: pending events as [time, id]; the earliest time, then the lowest id, comes out.
    const pending: [number, number][] = [];
    const take = () => {
      let best = 0;
      for (let i = 1; i < pending.length; i++) {
        const [t, id] = pending[i] as [number, number];
        const [bt, bid] = pending[best] as [number, number];
        if (t < bt || (t === bt && id < bid)) best = i;
      }
      return pending.splice(best, 1)[0] as [number, number];
    };
    for (let id = 0; id < 20_000; id++) {
      const time = Math.floor(rng.next() * 500);
      queue.push(time, 0, id);
      pending.push([time, id]);
      if (rng.next() < 0.45) {
        expect(queue.pop()).toBe(true);
        expect([queue.time, queue.eventTarget]).toEqual(take());
      }
    }
    while (queue.pop()) expect([queue.time, queue.eventTarget]).toEqual(take());
    expect(pending).toHaveLength(0);
    expect(queue.size).toBe(0);
  });
});
