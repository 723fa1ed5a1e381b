import { DEFAULT_MARKETPLACE_CONFIG, type MarketplaceSourceConfig } from '@cartae/marketplace-core';
import { describe, expect, it } from 'vitest';
import { sourcePlanOf } from './source-plan.ts';
import { installOrderWords, servedWords, sourceModeWords } from './source-words.ts';

const config = (fields: Partial<MarketplaceSourceConfig>): MarketplaceSourceConfig => ({
  ...DEFAULT_MARKETPLACE_CONFIG,
  ...fields,
});
const IN_CANARY = 0; // buckets below canaryPercent × 100 take the priority order
const OUTSIDE_CANARY = 9_999;
const cdnFirst = { type: 'hybrid', priority: ['cloudflare', 'git'] } as const;
const gitFirst = { type: 'hybrid', priority: ['git', 'cloudflare'] } as const;

describe('the source mode and this install’s order, in words', () => {
  it.each([
    [
      'Git with the CDN configured',
      config({}),
      IN_CANARY,
      'Git (CDN as fallback)',
      'Tries Git first, then CDN',
    ],
    ['Git, fallback off', config({ fallbackOnError: false }), IN_CANARY, 'Git only', 'Tries Git only'],
    [
      'CDN',
      config({ type: 'cloudflare', priority: ['cloudflare'] }),
      IN_CANARY,
      'CDN (Git as fallback)',
      'Tries CDN first, then Git',
    ],
    [
      'hybrid, CDN first for every install',
      config(cdnFirst),
      OUTSIDE_CANARY,
      'Hybrid (CDN first, Git as fallback)',
      'Tries CDN first, then Git',
    ],
    [
      'hybrid with a canary of 0%: every install takes the reverse order',
      config({ ...cdnFirst, canaryPercent: 0 }),
      IN_CANARY,
      'Hybrid (Git first, CDN as fallback)',
      'Tries Git first, then CDN',
    ],
    [
      'hybrid, fallback off',
      config({ ...cdnFirst, fallbackOnError: false }),
      IN_CANARY,
      'Hybrid (CDN first, no fallback)',
      'Tries CDN only',
    ],
    [
      'hybrid canary, this install in it',
      config({ ...gitFirst, canaryPercent: 12 }),
      IN_CANARY,
      'Hybrid (Git first for a 12% canary, CDN first for the rest; each falls back to the other)',
      'In the 12% canary: tries Git first, then CDN',
    ],
    [
      'hybrid canary, this install outside it',
      config({ ...gitFirst, canaryPercent: 12 }),
      OUTSIDE_CANARY,
      'Hybrid (Git first for a 12% canary, CDN first for the rest; each falls back to the other)',
      'Outside the 12% canary: tries CDN first, then Git',
    ],
    [
      'hybrid canary, fallback off',
      config({ ...cdnFirst, canaryPercent: 0.5, fallbackOnError: false }),
      OUTSIDE_CANARY,
      'Hybrid (CDN first for a 0.5% canary, Git first for the rest; no fallback)',
      'Outside the 0.5% canary: tries Git only',
    ],
  ])('%s', (_case, document, bucket, mode, install) => {
    const plan = sourcePlanOf(document, bucket);
    expect(sourceModeWords(plan)).toBe(mode);
    expect(installOrderWords(plan)).toBe(install);
  });
});

describe('how the list was served, in words', () => {
  const plan = sourcePlanOf(config(cdnFirst), IN_CANARY);
  it.each([
    [
      'the first choice',
      { source: 'cloudflare', fallback: false, stale: false },
      'CDN, this install’s first choice',
    ],
    [
      'a fallback',
      { source: 'git', fallback: true, stale: false },
      'Fallback: CDN failed, so Git served this list',
    ],
    [
      'a first choice set aside for its health',
      { source: 'git', fallback: false, stale: false },
      'CDN is set aside for now (failing or rate-limited), so Git served this list',
    ],
    [
      'the saved copy',
      { source: 'git', fallback: false, stale: true },
      'Saved copy from Git: no source answered just now',
    ],
  ] as const)('%s', (_case, answer, words) => {
    expect(servedWords(plan, answer)).toBe(words);
  });
});
