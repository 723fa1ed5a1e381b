import { defineConfig } from 'vitest/config';

/**
 * The consumer tier: the SDK as an app developer gets it. Packs `@cartae/marketplace-core` and
 * `@cartae/marketplace-resolver` with `npm pack`, installs the tarballs into a project in the
 * system's temporary folder (outside the workspace, so nothing resolves to the sources), and uses
 * them there: the README's snippets on Node 20 and the project's Node, ES modules and CommonJS,
 * strict tsc with node16 and bundler resolution, and an esbuild browser bundle within its budget.
 */
const root = new URL('../..', import.meta.url).pathname;

export default defineConfig({
  root,
  test: {
    name: 'sdk-consumer',
    include: ['tests/sdk-consumer/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
