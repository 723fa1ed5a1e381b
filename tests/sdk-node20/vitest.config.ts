import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../../scripts/source-conditions.ts';

// The resolver's default storage on Node: a folder of this run's own, never the user's state folder.
process.env.CARTAE_MARKETPLACE_STATE_DIR ??= mkdtempSync(join(tmpdir(), 'cartae-marketplace-tests-'));

/**
 * The SDK's unit tests — the same files as the `unit` project of the root config — run on the
 * machine's own Node (20 on these machines), because apps already installed embed
 * `@cartae/marketplace-core` and `@cartae/marketplace-resolver` on Node ≥ 20. Vitest 5 needs
 * Node 22, so this tier runs Vitest 4 (this folder's own dependency).
 */
const root = new URL('../..', import.meta.url).pathname;

export default defineConfig({
  root,
  // The packages' TypeScript sources, as in the root config (scripts/source-conditions.ts).
  ...sourceConditions(defaultClientConditions, defaultServerConditions),
  test: {
    name: 'sdk-node20',
    include: [
      'packages/marketplace-core/src/**/*.test.ts',
      'packages/marketplace-resolver/src/**/*.test.ts',
      'packages/marketplace-resolver/test/**/*.test.ts',
    ],
    exclude: ['**/*.browser.test.ts', '**/node_modules/**'],
    environment: 'node',
  },
});
