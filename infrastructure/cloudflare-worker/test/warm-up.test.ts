import { describe, expect, it } from 'vitest';
import { createWorkerApp } from '../src/app.ts';
import { warmUp } from '../src/warm-up.ts';
import type { WorkerPlatform } from '../src/worker-platform.ts';
import { envWith } from './support/worker-harness.ts';

/** A platform that records what the app asks of it: warming up must ask nothing. */
function recordingPlatform() {
  const asked: string[] = [];
  const platform: WorkerPlatform = {
    fetch: async (input) => {
      asked.push(`fetch ${String(input)}`);
      return new Response('{}');
    },
    now: () => Date.now(),
    log: (event) => asked.push(`log ${event}`),
  };
  return { asked, platform };
}

describe('warming up at startup', () => {
  it('makes no request and logs nothing (no I/O at global scope), then the app answers as usual', async () => {
    const { asked, platform } = recordingPlatform();
    const app = createWorkerApp(platform);
    warmUp(app);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(asked).toEqual([]);

    const answer = await app.fetch(new Request('https://marketplace.test/nowhere'), envWith());
    expect(answer.status).toBe(404);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
