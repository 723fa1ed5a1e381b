import type { MarketplaceSourceResolver } from '@cartae/marketplace-resolver';
import { useDeferredValue, useState } from 'react';
import { FreshnessBanner } from './FreshnessBanner.tsx';
import { filterPlugins } from './filter-plugins.ts';
import { NothingAvailable } from './NothingAvailable.tsx';
import { PluginList } from './PluginList.tsx';
import { PluginSearch } from './PluginSearch.tsx';
import { needsFreshnessNotice } from './registry-view.ts';
import { SourceFacts } from './SourceFacts.tsx';
import { StatsStrip } from './StatsStrip.tsx';
import { useLiveStats } from './use-live-stats.ts';
import { useRegistryView } from './use-registry-view.ts';

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
 * Refresh, never on a polling timer (see `use-registry-view.ts`).
 */
export function MarketplacePage(props: MarketplacePageProps) {
  const { view, refresh, retry } = useRegistryView(props.resolver);
  const stats = useLiveStats(props.resolver);
  const [query, setQuery] = useState('');
  const deferredQuery = useDeferredValue(query);

  const ready = view.kind === 'ready' ? view : undefined;
  const plugins = ready ? ready.registry.plugins : [];
  const shown = filterPlugins(plugins, deferredQuery);

  return (
    <main className="cartae-web" aria-busy={view.kind === 'loading'}>
      <header className="cartae-web__header">
        <h1>Marketplace</h1>
        <p className="cartae-web__hint">Plugins for your Cartae boards, notes and knowledge base.</p>
      </header>

      {view.kind !== 'loading' && needsFreshnessNotice(view) && (
        <FreshnessBanner view={view} controlPlane={props.controlPlane} />
      )}

      {view.kind !== 'loading' && (
        <SourceFacts
          source={ready?.source}
          url={ready?.url}
          registryVersion={ready?.registry.version}
          config={view.config}
          fallback={ready?.fallback ?? false}
          signedBy={ready?.signedBy}
          checksSignatures={props.checksSignatures ?? false}
        />
      )}

      <StatsStrip stats={stats} />

      {view.kind === 'loading' && <p className="cartae-web__hint">Loading the marketplace…</p>}
      {view.kind === 'unavailable' && <NothingAvailable onRetry={retry} />}
      {ready && (
        <section aria-labelledby="cartae-web-plugins-heading" className="cartae-web__list">
          <h2 id="cartae-web-plugins-heading">Plugins</h2>
          <PluginSearch query={query} onQueryChange={setQuery} />
          <div className="cartae-web__list-bar">
            <p aria-live="polite" className="cartae-web__hint">
              {shown.length === plugins.length
                ? `${plugins.length} plugins`
                : `Showing ${shown.length} of ${plugins.length} plugins`}
            </p>
            <button type="button" onClick={refresh}>
              Refresh
            </button>
          </div>
          <PluginList plugins={shown} query={deferredQuery} />
        </section>
      )}
    </main>
  );
}
