import { describe, expect, it } from 'vitest';
import { persistedConfigText, readPersistedConfig } from './persisted-config.ts';

const policy = { allowLoopbackHttp: true };
const document = {
  type: 'cloudflare',
  cloudflareUrl: 'https://cdn.example',
  gitUrl: 'https://git.example/r.json',
};

describe('persisted config', () => {
  it('round-trips the adopted config, its version being the floor', () => {
    const text = persistedConfigText(
      { document, version: 7, updatedAt: '2026-11-30T10:00:00Z' },
      'supabase',
      42,
    );
    expect(readPersistedConfig(text, policy)).toMatchObject({
      highestVersion: 7,
      usable: {
        version: 7,
        updatedAt: '2026-11-30T10:00:00Z',
        fetchedAt: 42,
        config: { type: 'cloudflare' },
      },
    });
  });

  it('keeps the floor when the document no longer passes the URL policy', () => {
    const text = persistedConfigText({ document, version: 7 }, 'supabase', 42);
    expect(readPersistedConfig(text, { allowedHosts: ['git.example'] })).toEqual({ highestVersion: 7 });
  });

  it('an unversioned config leaves no floor; garbage and nothing read as nothing', () => {
    expect(readPersistedConfig(persistedConfigText({ document }, 'custom', 1), policy)).toMatchObject({
      highestVersion: undefined,
      usable: { version: undefined },
    });
    for (const text of [undefined, '', 'null', '{"version":"7"', '{"version":1.5,"document":{}}']) {
      expect(readPersistedConfig(text, policy)).toEqual({ highestVersion: undefined });
    }
  });
});
