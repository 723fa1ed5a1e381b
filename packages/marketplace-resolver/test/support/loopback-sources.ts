import { type GitHost, startGitHost } from '@cartae/local-git-host';
import { registryText } from '../../../../tests/fixtures/registry-builder.ts';
import { createMarketplaceSourceResolver, type MarketplaceSourceResolverOptions } from '../../src/index.ts';
import { silentLogger } from '../../src/platform/platform.ts';
import { createMemoryStorage } from '../../src/storage/memory-storage.ts';

/**
 * Two real loopback hosts standing in for Git (raw registry.json + plugins/{id}.json) and the
 * CDN (/api/plugins, /api/plugins/{id}, /api/config), plus helpers to build resolvers on them.
 */
export interface LoopbackSources {
  git: GitHost;
  cdn: GitHost;
  gitUrl: string;
  cdnUrl: string;
  configUrl: string;
  setConfig(document: Record<string, unknown>, version: number): void;
  setRegistry(options: { version: number; plugins?: number }, where?: 'git' | 'cdn' | 'both'): void;
  gitRequests(path?: string): number;
  cdnRequests(path?: string): number;
  resolver(options?: MarketplaceSourceResolverOptions): ReturnType<typeof createMarketplaceSourceResolver>;
  close(): Promise<void>;
}

export async function startLoopbackSources(): Promise<LoopbackSources> {
  const git = await startGitHost();
  const cdn = await startGitHost();
  const gitUrl = `${git.url}/registry/registry.json`;
  const resolvers: ReturnType<typeof createMarketplaceSourceResolver>[] = [];
  const sources: LoopbackSources = {
    git,
    cdn,
    gitUrl,
    cdnUrl: cdn.url,
    configUrl: `${cdn.url}/api/config`,
    setConfig(document, version) {
      cdn.setFile(
        '/api/config',
        JSON.stringify({ config: document, version, updatedAt: new Date().toISOString() }),
      );
    },
    setRegistry({ version, plugins = 3 }, where = 'both') {
      const text = registryText({ version, plugins });
      if (where !== 'cdn') git.setFile('/registry/registry.json', text);
      if (where !== 'git') cdn.setFile('/api/plugins', text);
    },
    gitRequests: (path) => git.requests.filter((r) => path === undefined || r.path === path).length,
    cdnRequests: (path) => cdn.requests.filter((r) => path === undefined || r.path === path).length,
    resolver(options = {}) {
      const resolver = createMarketplaceSourceResolver({
        urlPolicy: { allowLoopbackHttp: true },
        requestTimeoutMs: 500,
        configTimeoutMs: 500,
        defaultConfig: { type: 'git', gitUrl, cloudflareUrl: cdn.url },
        ...options,
        platform: { storage: createMemoryStorage(), logger: silentLogger, ...options.platform },
      });
      resolvers.push(resolver);
      return resolver;
    },
    async close() {
      for (const r of resolvers) r.dispose();
      await Promise.all([git.close(), cdn.close()]);
    },
  };
  sources.setRegistry({ version: 1 });
  return sources;
}

/** A config document for these loopback sources. */
export function loopbackConfig(
  sources: LoopbackSources,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  return { gitUrl: sources.gitUrl, cloudflareUrl: sources.cdnUrl, ...fields };
}
