import { describe, expect, it } from 'vitest';
import { readTiming } from './read-timing.ts';

const url = 'https://git.example/registry.json';

describe('readTiming', () => {
  it('takes the download from the entry of the URL that answered, the rest as processing', () => {
    const entries = [
      { name: 'https://cdn.example/api/plugins', startTime: 101, responseEnd: 150 },
      { name: url, startTime: 160, responseEnd: 460 },
    ];
    expect(readTiming({ url, startedAt: 100, endedAt: 500 }, entries)).toEqual({
      networkMs: 300,
      processingMs: 40,
    });
  });

  it('ignores downloads of the same URL outside the call, and takes the latest inside it', () => {
    const entries = [
      { name: url, startTime: 10, responseEnd: 90 },
      { name: url, startTime: 110, responseEnd: 200 },
      { name: `${url}?t=1`, startTime: 210, responseEnd: 260 },
      { name: url, startTime: 400, responseEnd: 900 },
    ];
    expect(readTiming({ url, startedAt: 100, endedAt: 300 }, entries)).toEqual({
      networkMs: 50,
      processingMs: 40,
    });
  });

  it('says no network time when nothing was downloaded (an answer from memory)', () => {
    expect(readTiming({ url, startedAt: 100, endedAt: 103 }, [])).toEqual({
      networkMs: undefined,
      processingMs: 3,
    });
  });
});
