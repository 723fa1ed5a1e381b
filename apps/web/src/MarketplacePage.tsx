import type { PluginEntry } from '@cartae/marketplace-core';
import type { MarketplaceSourceResolver } from '@cartae/marketplace-resolver';
import { useEffect, useMemo, useState } from 'react';
import { FreshnessBanner } from './FreshnessBanner.tsx';
import { filterPlugins, preparePluginSearch } from './filter-plugins.ts';
import { LiveStats } from './LiveStats.tsx';
import { NothingAvailable } from './NothingAvailable.tsx';
import { PluginCount } from './PluginCount.tsx';
import { PluginList } from './PluginList.tsx';
import { PluginSearch } from './PluginSearch.tsx';
import { RegistryNotSavedBanner } from './RegistryNotSavedBanner.tsx';
import { needsFreshnessNotice } from './registry-view.ts';
import { SourceFacts } from './SourceFacts.tsx';
import { useRegistrySaveProblem } from './use-registry-save-problem.ts';
import { useRegistryView } from './use-registry-view.ts';

const NO_PLUGINS: readonly PluginEntry[] = [];

/**
 * Prepares the registry's search index when the browser is idle after drawing the list: normalising
 * 6,854 plugins takes tens of milliseconds, which belong neither to the first paint nor to the
 * first keystroke (a keystroke before then prepares it itself).
 */
function useSearchWarmUp(plugins: readonly PluginEntry[]): void {
  useEffect(() => {
    if (plugins.length === 0) return;
    const warm = () => preparePluginSearch(plugins);
    if (typeof requestIdleCallback === 'function') {
      const handle = requestIdleCallback(warm, { timeout: 2_000 });
      return () => cancelIdleCallback(handle);
    }
    const handle = setTimeout(warm, 200);
    return () => clearTimeout(handle);
  }, [plugins]);
}

export interface MarketplacePageProps {
  readonly resolver: MarketplaceSourceResolver;
  /** Whether a control plane is configured (changes what the banner says about built-in settings). */
  readonly controlPlane: boolean;
  /** The resolver was given trusted keys: every registry shown has a verified signature. */
  readonly checksSignatures?: boolean;
}

/**
 * The reference Cartae marketplace page, entirely driven by the resolver. It reads the registry
 * when it opens, when the fleet's config changes, when shown again after a long absence and on
 * Refresh, never on a polling timer (see `use-registry-view.ts`). Banners say when the list may not
 * be the latest and when it could not be saved for use without a network.
 */
export function MarketplacePage(props: MarketplacePageProps) {
  const { view, refresh, retry } = useRegistryView(props.resolver);
  const saveProblem = useRegistrySaveProblem(props.resolver, view);
  const [query, setQuery] = useState('');

  const ready = view.kind === 'ready' ? view : undefined;
  const plugins = ready?.registry.plugins ?? NO_PLUGINS;
  const shown = useMemo(() => filterPlugins(plugins, query), [plugins, query]);
  useSearchWarmUp(plugins);

  return (
    <main className="cartae-web" aria-busy={view.kind === 'loading'}>
      <header className="cartae-web__header">
        <h1>Marketplace</h1>
        <p className="cartae-web__hint">Plugins for your Cartae boards, notes and knowledge base.</p>
      </header>

      {view.kind !== 'loading' && needsFreshnessNotice(view) && (
        <FreshnessBanner view={view} controlPlane={props.controlPlane} />
      )}
      {saveProblem && <RegistryNotSavedBanner problem={saveProblem} />}

      {view.kind !== 'loading' && (
        <SourceFacts
          source={ready?.source}
          url={ready?.url}
          registryVersion={ready?.registry.version}
          config={view.config}
          fallback={ready?.fallback ?? false}
          stale={ready?.stale ?? false}
          signedBy={ready?.signedBy}
          checksSignatures={props.checksSignatures ?? false}
        />
      )}

      {/* Drawn afresh after each read, so its counters never lag the read by a tick. */}
      <LiveStats key={ready?.read?.endedAt} resolver={props.resolver} read={ready?.read} />

      {view.kind === 'loading' && <p className="cartae-web__hint">Loading the marketplace…</p>}
      {view.kind === 'unavailable' && <NothingAvailable onRetry={retry} />}
      {ready && (
        <section aria-labelledby="cartae-web-plugins-heading" className="cartae-web__list">
          <h2 id="cartae-web-plugins-heading">Plugins</h2>
          <PluginSearch query={query} onQueryChange={setQuery} />
          <div className="cartae-web__list-bar">
            <PluginCount shown={shown.length} total={plugins.length} />
            <button type="button" onClick={refresh}>
              Refresh
            </button>
          </div>
          <PluginList plugins={shown} query={query} />
        </section>
      )}
    </main>
  );
}
