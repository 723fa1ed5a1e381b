import './styles.css';
import type { MarketplaceSourceResolver } from '@cartae/marketplace-resolver';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { hasControlPlane, readAppSettings } from './app-settings.ts';
import { ConfigurationProblem } from './ConfigurationProblem.tsx';
import { createAppResolver } from './create-app-resolver.ts';
import { MarketplacePage } from './MarketplacePage.tsx';

declare global {
  interface Window {
    /** The page's resolver, for end-to-end tests and the devtools console. */
    __cartaeResolver?: MarketplaceSourceResolver;
  }
}

const settings = readAppSettings(import.meta.env);
for (const warning of settings.warnings) console.warn(`[cartae] ${warning}`);

let resolver: MarketplaceSourceResolver | undefined;
let problem: string | undefined;
try {
  // One resolver for the page's lifetime, outside React so StrictMode's double effects can't fork it.
  resolver = createAppResolver(settings);
  window.__cartaeResolver = resolver;
} catch (error) {
  problem = error instanceof Error ? error.message : String(error);
}

import.meta.hot?.dispose(() => resolver?.dispose());

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      {resolver ? (
        <MarketplacePage
          resolver={resolver}
          controlPlane={hasControlPlane(settings)}
          checksSignatures={settings.trustedKeys.length > 0}
        />
      ) : (
        <ConfigurationProblem message={problem ?? 'unknown problem'} />
      )}
    </StrictMode>,
  );
}
