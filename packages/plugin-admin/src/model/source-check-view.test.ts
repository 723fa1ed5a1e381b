import type { SourceCheck } from '@cartae/marketplace-resolver';
import { describe, expect, it } from 'vitest';
import { describeCheck } from './source-check-view.ts';

const base: SourceCheck = {
  source: 'git',
  url: 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json',
  ok: true,
  status: 200,
  responseTimeMs: 12,
  checkedAt: Date.UTC(2026, 10, 30, 13, 0, 0),
  error: undefined,
  code: undefined,
  rateLimited: false,
  rateLimitRemaining: 25,
  rateLimitLimit: 60,
  rateLimitResetAt: undefined,
  retryAt: undefined,
  skipped: false,
};
const at = Date.UTC(2026, 10, 30, 13, 4, 0);

describe('describeCheck', () => {
  it.each<[string, Partial<SourceCheck>, string, string]>([
    ['a valid registry', {}, 'healthy', 'healthy'],
    [
      'an HTML 200 the registry reader refused',
      { ok: false, code: 'registry_invalid_json', error: 'git: registry is not valid JSON' },
      'unhealthy',
      'unhealthy',
    ],
    [
      'a rate-limited source not contacted',
      {
        ok: false,
        skipped: true,
        rateLimited: true,
        retryAt: at,
        error: 'git is rate-limiting this app (HTTP 429)',
      },
      'rate-limited',
      `rate-limited until ${new Date(at).toLocaleTimeString('en-US')}`,
    ],
    [
      'a 429 just now',
      { ok: false, status: 429, rateLimited: true, rateLimitResetAt: at },
      'rate-limited',
      `rate-limited until ${new Date(at).toLocaleTimeString('en-US')}`,
    ],
    [
      'an ejected source',
      { ok: false, skipped: true, retryAt: at, error: 'git answered HTTP 500' },
      'paused',
      `paused until ${new Date(at).toLocaleTimeString('en-US')}`,
    ],
    ['no URL', { url: undefined, ok: false, skipped: true }, 'not-configured', 'not configured'],
  ])('%s', (_name, change, state, status) => {
    const view = describeCheck({ ...base, ...change }, 'en-US');
    expect(view.state).toBe(state);
    expect(view.status).toBe(status);
    expect(view.status).toMatch(/^[a-z]/); // words first: no emoji that renders as a box without a font
    expect(view.error).not.toMatch(/\d{4}-\d{2}-\d{2}T/); // never a raw UTC timestamp
  });
});
