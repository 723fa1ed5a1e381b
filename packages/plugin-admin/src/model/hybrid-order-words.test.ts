import { describe, expect, it } from 'vitest';
import { hybridOrderSentence } from './hybrid-order-words.ts';

describe('the hybrid order in one sentence', () => {
  it.each([
    [
      { priority: ['cloudflare', 'git'], canaryPercent: 10 },
      '10% of installs try the CDN first, the others Git first; each falls back to the other.',
    ],
    [
      { priority: ['git', 'cloudflare'], canaryPercent: 12 },
      '12% of installs try Git first, the others the CDN first; each falls back to the other.',
    ],
    [{ priority: ['git', 'cloudflare'], canaryPercent: 100 }, 'Every install tries Git first, then the CDN.'],
    [{ priority: ['git', 'cloudflare'] }, 'Every install tries Git first, then the CDN.'],
    [{ priority: ['cloudflare', 'git'], canaryPercent: 0 }, 'Every install tries Git first, then the CDN.'],
    [{ canaryPercent: 100 }, 'Every install tries the CDN first, then Git.'],
  ])('%j', (document, sentence) => {
    expect(hybridOrderSentence(document)).toBe(sentence);
  });
});
