import { describe, expect, it } from 'vitest';
import { fleetEffect, reviewChange } from './change-review.ts';

const GIT = 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json';
const CDN = 'https://marketplace.cartae.com';
const git = { type: 'git', priority: ['git'], gitUrl: GIT, cloudflareUrl: CDN, cacheTtlSeconds: 30 };

describe('reviewChange (issue 14)', () => {
  it('diffs against the saved config and names the effect in seconds from the saved TTL', () => {
    const review = reviewChange(git, { ...git, cacheTtlSeconds: 60 });
    expect(review.changes).toEqual([{ path: 'cacheTtlSeconds', before: 30, after: 60 }]);
    expect(review.effect).toBe(
      'Every installed app follows within ~30 s (the cache TTL it holds now), then checks every ~60 s.',
    );
    expect(fleetEffect({}, {})).toBe(
      'Every installed app follows within ~300 s (the cache TTL it holds now).',
    );
  });

  it('warns about used URLs that failed Test or were never tested as they are, and about new hosts', () => {
    const cdn = { ...git, type: 'cloudflare', priority: ['cloudflare'] };
    expect(reviewChange(git, cdn, { cloudflare: { url: CDN, ok: false, error: 'HTTP 404' } })).toMatchObject({
      urlWarnings: [{ kind: 'cloudflare', url: CDN, problem: 'failed', error: 'HTTP 404' }],
      hostsBefore: ['raw.githubusercontent.com'],
      hostsAfter: ['marketplace.cartae.com'],
      newHosts: true,
    });
    expect(reviewChange(git, cdn, { cloudflare: { url: `${CDN}/old`, ok: true } }).urlWarnings).toEqual([
      { kind: 'cloudflare', url: CDN, problem: 'untested' },
    ]);
    expect(reviewChange(git, cdn, { cloudflare: { url: CDN, ok: true } }).urlWarnings).toEqual([]);
    expect(reviewChange(git, git).changes).toEqual([]);
  });
});
