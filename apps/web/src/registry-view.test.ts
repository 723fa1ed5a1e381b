import {
  DEFAULT_MARKETPLACE_CONFIG,
  MarketplaceError,
  type RegistryDocument,
} from '@cartae/marketplace-core';
import type { RegistryResult } from '@cartae/marketplace-resolver';
import { describe, expect, it } from 'vitest';
import {
  type ConfigView,
  needsFreshnessNotice,
  nextRegistryView,
  type RegistryView,
} from './registry-view.ts';
import { sourcePlanOf } from './source-plan.ts';

const registry: RegistryDocument = {
  schemaVersion: 1,
  version: 3,
  generatedAt: '2026-01-01T00:00:00.000Z',
  expires: '2099-01-01T00:00:00.000Z',
  plugins: [],
};
const plan = sourcePlanOf(DEFAULT_MARKETPLACE_CONFIG, 0);
const fromProvider: ConfigView = { version: 4, origin: 'provider', plan };
const good = (overrides: Partial<Extract<RegistryResult, { ok: true }>> = {}): RegistryResult => ({
  ok: true,
  registry,
  source: 'git',
  url: 'https://example.com/registry.json',
  stale: false,
  fetchedAt: 1000,
  ageMs: 0,
  fallback: false,
  configVersion: 4,
  ...overrides,
});
const failed: RegistryResult = {
  ok: false,
  error: new MarketplaceError('no_source_available', 'no source answered'),
  configVersion: 4,
};

describe('nextRegistryView', () => {
  it('shows a served registry with its source', () => {
    const view = nextRegistryView({ kind: 'loading' }, good({ source: 'cloudflare' }), fromProvider);
    expect(view).toMatchObject({ kind: 'ready', source: 'cloudflare', stale: false, config: fromProvider });
  });

  it('says unavailable only when no registry was ever shown', () => {
    expect(nextRegistryView({ kind: 'loading' }, failed, fromProvider)).toMatchObject({
      kind: 'unavailable',
    });
  });

  it('never trades a shown registry for an error: keeps it, marked stale', () => {
    const shown = nextRegistryView({ kind: 'loading' }, good(), fromProvider);
    const next = nextRegistryView(shown, failed, { version: 5, origin: 'provider', plan });
    expect(next).toMatchObject({ kind: 'ready', registry, stale: true, config: { version: 5 } });
  });

  it('recovers from stale when a source answers again', () => {
    const stale = nextRegistryView({ kind: 'loading' }, good({ stale: true }), fromProvider);
    expect(nextRegistryView(stale, good(), fromProvider)).toMatchObject({ stale: false, error: undefined });
  });
});

describe('needsFreshnessNotice', () => {
  const ready = (stale: boolean, config: ConfigView): RegistryView =>
    nextRegistryView({ kind: 'loading' }, good({ stale }), config);

  it.each([
    ['fresh registry, config from the control plane', ready(false, fromProvider), false],
    ['stale registry', ready(true, fromProvider), true],
    ['persisted config', ready(false, { version: 4, origin: 'persisted', plan }), true],
    ['built-in config', ready(false, { version: undefined, origin: 'built-in', plan }), true],
    ['still loading', { kind: 'loading' } as RegistryView, false],
  ])('%s → %s', (_name, view, expected) => {
    expect(needsFreshnessNotice(view)).toBe(expected);
  });
});
