// Bundled with esbuild and loaded into Chromium: exposes the resolver to the page.
import { createLocalStorage, createMarketplaceSourceResolver } from '../../src/index.ts';

(globalThis as Record<string, unknown>).marketplace = { createLocalStorage, createMarketplaceSourceResolver };
