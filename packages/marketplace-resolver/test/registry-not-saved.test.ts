import { describe, expect, it } from 'vitest';
import { registryText } from '../../../tests/fixtures/registry-builder.ts';
import { createMarketplaceSourceResolver, type ResolverEvent } from '../src/index.ts';
import { silentLogger } from '../src/platform/platform.ts';
import type { KeyValueStorage } from '../src/storage/key-value-storage.ts';
import { createMemoryStorage } from '../src/storage/memory-storage.ts';

/**
 * A store that refuses the registry is reported, never swallowed: the registry stays in use, an
 * event says it will not survive a reload, and the stats count it.
 */
const registry = registryText({ version: 7, plugins: 20 });

function resolverWith(storage: KeyValueStorage) {
  const events: ResolverEvent[] = [];
  const resolver = createMarketplaceSourceResolver({
    defaultConfig: { type: 'git', gitUrl: 'https://git.example/registry.json', fallbackOnError: false },
    urlPolicy: { allowedHosts: ['git.example', 'downloads.cartae.example'] },
    probes: false,
    platform: {
      storage,
      logger: silentLogger,
      fetch: async () => new Response(registry, { headers: { etag: '"v7"' } }),
    },
  });
  resolver.subscribe((event) => events.push(event));
  return { resolver, events };
}

async function settled(events: ResolverEvent[]) {
  for (let i = 0; i < 50 && !events.some((e) => e.type === 'registry-not-saved'); i++)
    await new Promise((r) => setTimeout(r, 5));
}

describe('a registry the storage cannot keep', () => {
  it.each([
    [
      'a store over its quota',
      {
        code: 'storage_full',
        message: 'IndexedDB is over its quota (QuotaExceededError) writing "registry"',
      },
      (failure: { code: 'storage_full'; message: string }): KeyValueStorage => {
        const inner = createMemoryStorage();
        return {
          ...inner,
          set: async (key, value) => (key === 'registry' ? failure : inner.set(key, value)),
        };
      },
    ],
    [
      'a store that throws (breaking its contract)',
      { code: 'storage_unavailable', message: 'Error: private mode' },
      (): KeyValueStorage => {
        const inner = createMemoryStorage();
        return {
          ...inner,
          set: async (key, value) => {
            if (key === 'registry') throw new Error('private mode');
            return inner.set(key, value);
          },
        };
      },
    ],
  ] as const)('is reported for %s: event and stats, registry still served', async (_, expected, make) => {
    const { resolver, events } = resolverWith(make(expected as { code: 'storage_full'; message: string }));
    const result = await resolver.getRegistry();
    expect(result.ok && result.registry.version).toBe(7);
    await settled(events);
    expect(events.filter((e) => e.type === 'registry-not-saved')).toEqual([
      { type: 'registry-not-saved', version: 7, bytes: Buffer.byteLength(registry), ...expected },
    ]);
    expect(resolver.getStats().registryNotSaved).toBe(1);
    resolver.dispose();
  });

  it('counts nothing when the registry was kept', async () => {
    const storage = createMemoryStorage();
    const { resolver, events } = resolverWith(storage);
    await resolver.getRegistry();
    await new Promise((r) => setTimeout(r, 20));
    expect(storage.entries.get('registry')).toBe(registry);
    expect(events.some((e) => e.type === 'registry-not-saved')).toBe(false);
    expect(resolver.getStats().registryNotSaved).toBe(0);
    resolver.dispose();
  });
});
