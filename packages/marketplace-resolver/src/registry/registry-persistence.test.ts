import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registryText } from '../../../../tests/fixtures/registry-builder.ts';
import { type LoopbackSources, startLoopbackSources } from '../../test/support/loopback-sources.ts';
import type { LogLevel } from '../platform/platform.ts';
import type { KeyValueStorage } from '../storage/key-value-storage.ts';
import { createMemoryStorage } from '../storage/memory-storage.ts';

let s: LoopbackSources;
beforeEach(async () => {
  s = await startLoopbackSources();
});
afterEach(async () => {
  await s.close();
});

function everySourceDown(): void {
  s.git.setBehaviour('*', { kind: 'status', status: 500 });
  s.cdn.setBehaviour('*', { kind: 'status', status: 500 });
}

/** Storage calls settle on later ticks; what a resolver persisted is there once they have. */
const persisted = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the persisted registry', () => {
  it('is the exact bytes served, under its own key, with its provenance under another: no escaped second copy', async () => {
    const storage = createMemoryStorage();
    s.setRegistry({ version: 5, plugins: 40 });
    const served = registryText({ version: 5, plugins: 40 });
    expect(await s.resolver({ platform: { storage } }).getRegistry()).toMatchObject({ ok: true });
    await persisted();
    expect(storage.entries.get('registry')).toBe(served);
    expect(JSON.parse(storage.entries.get('registry-meta') ?? 'null')).toEqual({
      version: 5,
      source: 'git',
      url: s.gitUrl,
      fetchedAt: expect.any(Number),
    });
    const others = [...storage.entries].filter(([key]) => key !== 'registry');
    expect(others.every(([, value]) => value.length < 200)).toBe(true);
  });

  it('reads the format of earlier versions once, serves it, and rewrites it in the new format', async () => {
    const text = registryText({ version: 6 });
    const legacy = JSON.stringify({
      text,
      source: 'cloudflare',
      url: 'https://old.example/api/plugins',
      fetchedAt: 1234,
    });
    const storage = createMemoryStorage({ registry: legacy });
    everySourceDown();
    const restarted = await s.resolver({ platform: { storage } }).getRegistry();
    expect(restarted).toMatchObject({
      ok: true,
      stale: true,
      source: 'cloudflare',
      fetchedAt: 1234,
      registry: { version: 6 },
    });
    await persisted();
    expect(storage.entries.get('registry')).toBe(text);
    expect(JSON.parse(storage.entries.get('registry-meta') ?? 'null')).toEqual({
      version: 6,
      source: 'cloudflare',
      url: 'https://old.example/api/plugins',
      fetchedAt: 1234,
    });
    const again = await s.resolver({ platform: { storage } }).getRegistry();
    expect(again).toMatchObject({ ok: true, stale: true, source: 'cloudflare', registry: { version: 6 } });
  });

  it('survives a restart in the new format', async () => {
    const storage = createMemoryStorage();
    s.setRegistry({ version: 8 });
    expect((await s.resolver({ platform: { storage } }).getRegistry()).ok).toBe(true);
    await persisted();
    everySourceDown();
    const restarted = await s.resolver({ platform: { storage } }).getRegistry();
    expect(restarted).toMatchObject({ ok: true, stale: true, source: 'git', registry: { version: 8 } });
  });

  it('is not used when its provenance names another version (a write cut short)', async () => {
    const storage = createMemoryStorage({
      registry: registryText({ version: 3 }),
      'registry-meta': JSON.stringify({
        version: 4,
        source: 'git',
        url: 'https://x.example/r.json',
        fetchedAt: 1,
      }),
    });
    everySourceDown();
    expect(await s.resolver({ platform: { storage } }).getRegistry()).toMatchObject({ ok: false });
  });
});

describe('a registry the storage cannot keep', () => {
  /** Memory storage that refuses the registry's bytes as a full localStorage would. */
  function fullFor(key: string): KeyValueStorage & { readonly entries: Map<string, string> } {
    const inner = createMemoryStorage();
    return {
      entries: inner.entries,
      get: (k) => inner.get(k),
      remove: (k) => inner.remove(k),
      set: async (k, v) =>
        k === key
          ? { code: 'storage_full', message: 'localStorage quota exceeded (QuotaExceededError)' }
          : inner.set(k, v),
    };
  }

  it('is still returned, and a warning names its size and says it will not survive a reload', async () => {
    const storage = fullFor('registry');
    const warnings: { message: string; details: Record<string, unknown> | undefined }[] = [];
    const logger = (level: LogLevel, message: string, details?: Record<string, unknown>) => {
      if (level === 'warn') warnings.push({ message, details });
    };
    s.setRegistry({ version: 2, plugins: 2000 });
    const bytes = new TextEncoder().encode(registryText({ version: 2, plugins: 2000 })).length;
    const result = await s.resolver({ platform: { storage, logger } }).getRegistry();
    expect(result).toMatchObject({ ok: true, stale: false, registry: { version: 2 } });
    await persisted();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/registry version 2 \([\d.]+ MB\).*will not survive a reload/);
    expect(warnings[0]?.details).toMatchObject({ bytes, code: 'storage_full' });
    expect(storage.entries.has('registry-meta')).toBe(false);
  });

  it('never surfaces as an error, even from a storage that breaks its contract and throws', async () => {
    const throwing: KeyValueStorage = {
      get: async () => undefined,
      set: async (key) => {
        if (key.startsWith('registry')) throw new Error('disk on fire');
      },
      remove: async () => undefined,
    };
    const warnings: string[] = [];
    const result = await s
      .resolver({ platform: { storage: throwing, logger: (l, m) => l === 'warn' && warnings.push(m) } })
      .getRegistry();
    expect(result.ok).toBe(true);
    await persisted();
    expect(warnings.some((m) => m.includes('disk on fire'))).toBe(true);
  });
});
