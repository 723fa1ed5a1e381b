import { describe, expect, it } from 'vitest';
import { createMarketplaceSourceResolver } from '../index.ts';
import { silentLogger } from '../platform/platform.ts';
import { createMemoryStorage } from '../storage/memory-storage.ts';
import { registryPath } from './published-id.ts';

describe('published ids with capitals (SPEC 3.2)', () => {
  it.each([
    ['api/plugins/ObsidianAnkiSync', 'api/plugins/obsidianankisync'],
    ['/api/plugins/DEVONlink-obsidian/', '/api/plugins/devonlink-obsidian/'],
    ['api/plugins/obsidian-git', 'api/plugins/obsidian-git'],
    ['api/plugins', 'api/plugins'],
    ['API/plugins/x', 'API/plugins/x'],
  ])('%j is looked up as %j', (path, expected) => {
    expect(registryPath(path)).toBe(expected);
  });

  it('reaches the lower-cased entry through the resolver', async () => {
    const resolver = createMarketplaceSourceResolver({
      defaultConfig: { type: 'cloudflare', cloudflareUrl: 'https://cdn.example' },
      urlPolicy: { allowedHosts: ['cdn.example'] },
      autoRefresh: false,
      probes: false,
      platform: { storage: createMemoryStorage(), logger: silentLogger },
    });
    expect(await resolver.resolveUrl('api/plugins/ObsidianAnkiSync')).toBe(
      'https://cdn.example/api/plugins/obsidianankisync',
    );
    resolver.dispose();
  });
});
