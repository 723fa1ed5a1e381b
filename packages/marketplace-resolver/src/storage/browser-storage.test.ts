import { describe, expect, it } from 'vitest';
import { createBrowserStorage } from './browser-storage.ts';
import type { KeyValueStorage } from './key-value-storage.ts';
import { createMemoryStorage } from './memory-storage.ts';

/** A store that refuses every write, as a full IndexedDB does. */
function fullStore(): KeyValueStorage {
  return {
    get: async () => undefined,
    set: async (key) => ({ code: 'storage_full', message: `over quota writing "${key}"` }),
    remove: async () => {},
  };
}

describe('browser storage', () => {
  it('keeps the registry in the large store and small state in the small one', async () => {
    const large = createMemoryStorage();
    const small = createMemoryStorage();
    const storage = createBrowserStorage({ large, small });
    for (const key of ['registry', 'registry-meta', 'registry-signature', 'config', 'install-id'])
      await storage.set(key, `value of ${key}`);
    expect([...large.entries.keys()].sort()).toEqual(['registry', 'registry-meta', 'registry-signature']);
    expect([...small.entries.keys()].sort()).toEqual(['config', 'install-id']);
    expect(await storage.get('registry')).toBe('value of registry');
    expect(await storage.get('config')).toBe('value of config');
  });

  it('moves a registry an earlier release left in localStorage on first read, then frees it', async () => {
    const large = createMemoryStorage();
    const small = createMemoryStorage({
      registry: '{"old":1}',
      'registry-meta': '{"version":1}',
      config: 'c',
    });
    const storage = createBrowserStorage({ large, small });
    expect(await storage.get('registry')).toBe('{"old":1}');
    expect(await storage.get('registry-meta')).toBe('{"version":1}');
    expect(Object.fromEntries(large.entries)).toEqual({
      registry: '{"old":1}',
      'registry-meta': '{"version":1}',
    });
    expect(Object.fromEntries(small.entries)).toEqual({ config: 'c' });
  });

  it('still uses a legacy copy it could not move, and keeps it where it was', async () => {
    const small = createMemoryStorage({ registry: '{"old":1}' });
    const storage = createBrowserStorage({ large: fullStore(), small });
    expect(await storage.get('registry')).toBe('{"old":1}');
    expect(small.entries.get('registry')).toBe('{"old":1}');
  });

  it('hands a refused write back to the caller, never swallowed', async () => {
    const storage = createBrowserStorage({ large: fullStore(), small: createMemoryStorage() });
    await expect(storage.set('registry', 'x'.repeat(1000))).resolves.toEqual({
      code: 'storage_full',
      message: 'over quota writing "registry"',
    });
  });

  it('removes a large value from both stores, so no stale legacy copy comes back', async () => {
    const large = createMemoryStorage({ registry: 'new' });
    const small = createMemoryStorage({ registry: 'old' });
    const storage = createBrowserStorage({ large, small });
    await storage.remove('registry');
    expect(await storage.get('registry')).toBeUndefined();
  });
});
