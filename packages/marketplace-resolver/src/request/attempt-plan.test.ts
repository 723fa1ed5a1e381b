import {
  DEFAULT_MARKETPLACE_CONFIG,
  type LogicalRoute,
  type MarketplaceSourceConfig,
  type SourceKind,
} from '@cartae/marketplace-core';
import { describe, expect, it } from 'vitest';
import { planAttempts } from './attempt-plan.ts';

const config: MarketplaceSourceConfig = {
  ...DEFAULT_MARKETPLACE_CONFIG,
  type: 'hybrid',
  gitUrl: 'https://raw.example/registry.json',
  cloudflareUrl: 'https://cdn.example',
  fallbackOnError: true,
};

const urls = (plan: ReturnType<typeof planAttempts>) =>
  plan.steps.map((s) => [s.source, s.url.ok ? s.url.value : `error: ${s.url.error.code}`, s.lastResort]);

describe('attempt plan', () => {
  it.each([
    {
      name: 'admitted sources in the selection order, each with its URL for the route',
      order: ['cloudflare', 'git'],
      ejected: [],
      route: { name: 'plugin', id: 'mind-map' },
      config,
      expected: [
        ['cloudflare', 'https://cdn.example/api/plugins/mind-map', false],
        ['git', 'https://raw.example/plugins/mind-map.json', false],
      ],
    },
    {
      name: 'an ejected source comes last, as a last resort, when fallback is on',
      order: ['git'],
      ejected: ['cloudflare'],
      route: { name: 'registry' },
      config,
      expected: [
        ['git', 'https://raw.example/registry.json', false],
        ['cloudflare', 'https://cdn.example/api/plugins', true],
      ],
    },
    {
      name: 'no last resort when fallback is off',
      order: ['git'],
      ejected: ['cloudflare'],
      route: { name: 'registry' },
      config: { ...config, fallbackOnError: false },
      expected: [['git', 'https://raw.example/registry.json', false]],
    },
    {
      name: 'a source without a URL is planned with the reason, so the loop can report it',
      order: ['cloudflare', 'git'],
      ejected: [],
      route: { name: 'registry' },
      config: (({ cloudflareUrl: _, ...rest }) => rest)(config),
      expected: [
        ['cloudflare', 'error: no_source_available', false],
        ['git', 'https://raw.example/registry.json', false],
      ],
    },
  ] as {
    name: string;
    order: SourceKind[];
    ejected: SourceKind[];
    route: LogicalRoute;
    config: MarketplaceSourceConfig;
    expected: unknown[];
  }[])('$name', ({ order, ejected, route, config: c, expected }) => {
    const plan = planAttempts({ order, ejected, panic: false, demoted: [] }, route, c);
    expect(urls(plan)).toEqual(expected);
    expect(plan.first).toBe(order[0]);
  });
});
