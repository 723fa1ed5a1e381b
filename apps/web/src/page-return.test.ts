import { describe, expect, it } from 'vitest';
import { onPageReturn, type VisibilitySource } from './page-return.ts';

/** A document reduced to its visibility: an EventTarget whose state the test sets. */
function fakeDocument(initial: DocumentVisibilityState) {
  const target = new EventTarget();
  const doc = Object.assign(target, { visibilityState: initial }) as unknown as VisibilitySource & {
    visibilityState: DocumentVisibilityState;
  };
  const become = (state: DocumentVisibilityState) => {
    doc.visibilityState = state;
    target.dispatchEvent(new Event('visibilitychange'));
  };
  return { doc, become };
}

describe('onPageReturn', () => {
  it('reports how long the page was hidden, once per return', () => {
    const { doc, become } = fakeDocument('visible');
    let now = 1000;
    const returns: number[] = [];
    onPageReturn(
      doc,
      () => now,
      (ms) => returns.push(ms),
    );
    become('hidden');
    now += 400_000;
    become('hidden'); // a second hidden event does not restart the count
    now += 100;
    become('visible');
    become('visible');
    expect(returns).toEqual([400_100]);
  });

  it('counts from the start when the page opens hidden (a background tab)', () => {
    const { doc, become } = fakeDocument('hidden');
    let now = 0;
    const returns: number[] = [];
    onPageReturn(
      doc,
      () => now,
      (ms) => returns.push(ms),
    );
    now = 7000;
    become('visible');
    expect(returns).toEqual([7000]);
  });

  it('stops listening when asked', () => {
    const { doc, become } = fakeDocument('visible');
    const returns: number[] = [];
    const stop = onPageReturn(
      doc,
      () => 0,
      (ms) => returns.push(ms),
    );
    stop();
    become('hidden');
    become('visible');
    expect(returns).toEqual([]);
  });
});
