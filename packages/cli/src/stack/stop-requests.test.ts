import { afterEach, describe, expect, it } from 'vitest';
import { listenForStopRequests, STOP_SIGNALS, type StopRequests } from './stop-requests.ts';

// Listeners are called as the signal would call them, without sending one to the test runner.
const deliver = (signal: (typeof STOP_SIGNALS)[number]) => process.emit(signal, signal);

let listening: StopRequests | undefined;
afterEach(() => listening?.dispose());

describe('listenForStopRequests', () => {
  it('resolves with the first request, SIGHUP included', async () => {
    listening = listenForStopRequests();
    deliver('SIGHUP');
    deliver('SIGINT');
    expect(await listening.requested).toBe('SIGHUP');
  });

  it('keeps its handlers while stopping; says so once of a later request, not of a duplicate', async () => {
    let repeats = 0;
    listening = listenForStopRequests({ onRepeat: () => repeats++, repeatQuietMs: 50 });
    const before = STOP_SIGNALS.map((s) => process.listenerCount(s));
    deliver('SIGINT');
    deliver('SIGINT'); // the terminal's and the bootstrap's copy of one Ctrl-C
    expect(repeats).toBe(0);
    await new Promise((r) => setTimeout(r, 60));
    deliver('SIGTERM');
    deliver('SIGINT');
    expect(repeats).toBe(1);
    expect(STOP_SIGNALS.map((s) => process.listenerCount(s))).toEqual(before);
    listening.dispose();
    expect(STOP_SIGNALS.map((s) => process.listenerCount(s))).toEqual(before.map((n) => n - 1));
    listening = undefined;
  });
});
