import { parseRateLimit } from '@cartae/marketplace-core';
import { describe, expect, it } from 'vitest';
import { GitHostModel } from './git-host-model.ts';

describe('GitHostModel', () => {
  it('allows 60 requests per address per hour from the first one, then 429 until the window resets', () => {
    const git = new GitHostModel(2, 60, undefined);
    for (let i = 0; i < 60; i++) expect(git.respond(0, 1000 + i).status).toBe(200);
    const refused = git.respond(0, 2000);
    expect(refused.status).toBe(429);
    expect(refused.get('x-ratelimit-remaining')).toBe('0');
    const info = parseRateLimit(refused.status, refused, 2000);
    expect(info.limited).toBe(true);
    expect(info.retryAt).toBe(2000 + 3_599_000);
    expect(git.respond(1, 2000).status).toBe(200);
    expect(git.respond(0, 1000 + 3_600_000).status).toBe(200);
  });

  it('reports the quota left on every answer', () => {
    const git = new GitHostModel(1, 60, undefined);
    git.respond(0, 0);
    const second = git.respond(0, 10);
    expect(parseRateLimit(second.status, second, 10)).toMatchObject({
      limited: false,
      remaining: 58,
      limit: 60,
    });
  });

  it('answers 429 with retry-after to every address during an episode, and normally after it', () => {
    const git = new GitHostModel(3, 60, { from: 10_000, until: 20_000, retryAfterSeconds: 60 });
    expect(git.respond(0, 9_999).status).toBe(200);
    for (const address of [0, 1, 2]) {
      const answer = git.respond(address, 10_000);
      expect(answer.status).toBe(429);
      expect(parseRateLimit(answer.status, answer, 10_000).retryAt).toBe(70_000);
    }
    expect(git.inEpisode(19_999)).toBe(true);
    expect(git.respond(1, 20_000).status).toBe(200);
  });
});
