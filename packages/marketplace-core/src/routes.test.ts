import { describe, expect, it } from 'vitest';
import type { MarketplaceSourceConfig } from './config-document.ts';
import { DEFAULT_MARKETPLACE_CONFIG } from './config-document.ts';
import { parseLogicalPath, registrySignatureUrl, routeUrl } from './routes.ts';

const config: MarketplaceSourceConfig = {
  ...DEFAULT_MARKETPLACE_CONFIG,
  gitUrl: 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json',
  cloudflareUrl: 'https://marketplace.cartae.com/',
};

describe('logical routes', () => {
  it.each([
    [
      'api/plugins',
      'git',
      'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json',
    ],
    ['api/plugins', 'cloudflare', 'https://marketplace.cartae.com/api/plugins'],
    ['/api/plugins/', 'cloudflare', 'https://marketplace.cartae.com/api/plugins'],
    [
      'api/plugins/kanban-board',
      'git',
      'https://raw.githubusercontent.com/cartae/marketplace/main/registry/plugins/kanban-board.json',
    ],
    ['api/plugins/kanban-board', 'cloudflare', 'https://marketplace.cartae.com/api/plugins/kanban-board'],
    [
      'api/plugins.sig',
      'git',
      'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json.sig',
    ],
    ['api/plugins.sig', 'cloudflare', 'https://marketplace.cartae.com/api/plugins.sig'],
  ] as const)('%s on %s', (path, kind, expected) => {
    const route = parseLogicalPath(path);
    expect(route.ok).toBe(true);
    if (!route.ok) return;
    expect(routeUrl(route.value, kind, config)).toEqual({ ok: true, value: expected });
  });

  it.each([
    'api/plugin',
    'api/plugins/../../secrets',
    'api/plugins/a/b',
    'api/plugins/UPPER',
    'registry.json',
    '',
    'api/plugins/%2e%2e',
  ])('refuses %j with a clear error', (path) => {
    const r = parseLogicalPath(path);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('route_unknown');
    expect(!r.ok && r.error.message).toContain('known paths are api/plugins, api/plugins/{id}');
  });

  it('reports a source without URL', () => {
    const r = routeUrl({ name: 'registry' }, 'cloudflare', { ...config, cloudflareUrl: undefined });
    expect(!r.ok && r.error.code).toBe('no_source_available');
  });
});

describe('registrySignatureUrl', () => {
  it('appends .sig to the path, keeping a query string a query string', () => {
    expect(registrySignatureUrl('https://git.example/r/registry.json?ref=main')).toBe(
      'https://git.example/r/registry.json.sig?ref=main',
    );
  });
});
