import type { UrlPolicy } from '@cartae/marketplace-core';
import { createMarketplaceSourceResolver } from '@cartae/marketplace-resolver';
import { createRoot } from 'react-dom/client';
import { AdminPanel, type AdminResolver } from './components/AdminPanel.tsx';
import { type AdminSupabaseClient, MarketplaceConfigService } from './service/marketplace-config-service.ts';

export interface AdminMountOptions {
  /** A signed-in `supabase-js` client (the host app's). */
  supabase: AdminSupabaseClient;
  /** The host app's resolver, for health and usage; one is created from `supabase` when absent. */
  resolver?: AdminResolver;
  /** The host app's URL policy, applied to tests and to saved documents. */
  urlPolicy?: UrlPolicy;
}

/**
 * The plugin descriptor a Cartae app installs: it adds "Admin Panel" to the sidebar and mounts
 * the panel into the container the app gives it. `mount` returns the function that unmounts.
 *
 * @example
 * const unmount = adminPlugin.mount(document.getElementById('main')!, { supabase });
 */
export const adminPlugin = {
  id: 'cartae-plugin-admin',
  name: 'Marketplace Admin',
  version: '0.1.0',
  sidebar: { label: 'Admin Panel', icon: '🛠️' },
  mount(container: HTMLElement, options: AdminMountOptions): () => void {
    const ownResolver = options.resolver
      ? undefined
      : createMarketplaceSourceResolver({
          supabase: options.supabase as never,
          ...(options.urlPolicy ? { urlPolicy: options.urlPolicy } : {}),
          probes: false,
        });
    const resolver = options.resolver ?? (ownResolver as AdminResolver);
    const service = new MarketplaceConfigService(options.supabase, {
      ...(options.urlPolicy ? { urlPolicy: options.urlPolicy } : {}),
      usage: resolver,
    });
    const root = createRoot(container);
    root.render(
      <AdminPanel
        service={service}
        resolver={resolver}
        {...(options.urlPolicy ? { urlPolicy: options.urlPolicy } : {})}
      />,
    );
    return () => {
      root.unmount();
      ownResolver?.dispose();
    };
  },
} as const;
