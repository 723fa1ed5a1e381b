// Bundled with esbuild and loaded into Chromium: exposes the resolver to the page.
import {
  createBrowserStorage,
  createIndexedDbStorage,
  createLocalStorage,
  createMarketplaceSourceResolver,
} from '../../src/index.ts';

(globalThis as Record<string, unknown>).marketplace = {
  createBrowserStorage,
  createIndexedDbStorage,
  createLocalStorage,
  createMarketplaceSourceResolver,
};
