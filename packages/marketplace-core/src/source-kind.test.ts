import { describe, expect, it } from 'vitest';
import { DEFAULT_MARKETPLACE_CONFIG, SOURCE_TYPES } from './config-document.ts';
import { configFieldsSchema } from './config-schema.ts';
import { routeUrl } from './routes.ts';
import { isSourceKind, SOURCE_KIND_TABLE, SOURCE_KINDS, type SourceKind } from './source-kind.ts';

const GIT_REGISTRY = 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json';

describe('SOURCE_KIND_TABLE: every kind is complete', () => {
  it('lists the kinds in the default order of preference', () => {
    expect(SOURCE_KINDS).toEqual(['cloudflare', 'git']);
  });

  it.each(SOURCE_KINDS)('%s has a URL field of the config schema, names, and its default', (kind) => {
    const spec = SOURCE_KIND_TABLE[kind];
    expect(Object.keys(configFieldsSchema.shape)).toContain(spec.urlField);
    // The field is an optional URL string: absent, or any string (policy is checked later).
    expect(configFieldsSchema.safeParse({ type: kind }).success).toBe(true);
    expect(configFieldsSchema.safeParse({ type: kind, [spec.urlField]: 'https://x.example' }).success).toBe(
      true,
    );
    expect(configFieldsSchema.safeParse({ type: kind, [spec.urlField]: 42 }).success).toBe(false);
    expect(spec.label.trim()).not.toBe('');
    expect(spec.shortLabel.trim()).not.toBe('');
    expect(spec.icon.trim()).not.toBe('');
    expect(DEFAULT_MARKETPLACE_CONFIG[spec.urlField]).toBe(spec.defaultUrl);
    expect(SOURCE_TYPES).toContain(kind);
    expect(isSourceKind(kind)).toBe(true);
  });

  it('gives every kind its own URL field and label', () => {
    const fields = SOURCE_KINDS.map((kind) => SOURCE_KIND_TABLE[kind].urlField);
    const labels = SOURCE_KINDS.map((kind) => SOURCE_KIND_TABLE[kind].label);
    expect(new Set(fields).size).toBe(SOURCE_KINDS.length);
    expect(new Set(labels).size).toBe(SOURCE_KINDS.length);
  });

  it.each(['r2', 's3', '', 'constructor', 'toString', '__proto__', undefined, null, 1, {}])(
    'does not take %j for a kind',
    (value) => {
      expect(isSourceKind(value)).toBe(false);
    },
  );
});

describe('SOURCE_KIND_TABLE routes (the URLs routeUrl built before the table)', () => {
  const cases: readonly [SourceKind, string, string | undefined, string][] = [
    ['git', GIT_REGISTRY, undefined, GIT_REGISTRY],
    [
      'git',
      GIT_REGISTRY,
      'kanban-board',
      'https://raw.githubusercontent.com/cartae/marketplace/main/registry/plugins/kanban-board.json',
    ],
    ['git', 'http://127.0.0.1:8790/registry.json', 'a.b_c-1', 'http://127.0.0.1:8790/plugins/a.b_c-1.json'],
    ['git', 'https://git.example/reg/', 'kanban', 'https://git.example/reg/plugins/kanban.json'],
    ['cloudflare', 'https://marketplace.cartae.com', undefined, 'https://marketplace.cartae.com/api/plugins'],
    [
      'cloudflare',
      'https://marketplace.cartae.com/',
      undefined,
      'https://marketplace.cartae.com/api/plugins',
    ],
    ['cloudflare', 'https://cdn.example/base//', undefined, 'https://cdn.example/base/api/plugins'],
    [
      'cloudflare',
      'https://marketplace.cartae.com/',
      'kanban-board',
      'https://marketplace.cartae.com/api/plugins/kanban-board',
    ],
    ['cloudflare', 'http://127.0.0.1:8787', 'a.b_c-1', 'http://127.0.0.1:8787/api/plugins/a.b_c-1'],
  ];

  it.each(cases)('%s at %s, plugin %s → %s', (kind, url, id, expected) => {
    const { routes, urlField } = SOURCE_KIND_TABLE[kind];
    expect(id === undefined ? routes.registry(url) : routes.plugin(url, id)).toBe(expected);
    const route = id === undefined ? ({ name: 'registry' } as const) : ({ name: 'plugin', id } as const);
    expect(routeUrl(route, kind, { ...DEFAULT_MARKETPLACE_CONFIG, [urlField]: url })).toEqual({
      ok: true,
      value: expected,
    });
  });

  it('covers every kind', () => {
    expect(new Set(cases.map(([kind]) => kind))).toEqual(new Set(SOURCE_KINDS));
  });
});
