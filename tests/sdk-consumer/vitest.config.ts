import { defineConfig } from 'vitest/config';

/**
 * The consumer tier: the SDK as an app developer gets it. Packs `@cartae/marketplace-core` and
 * `@cartae/marketplace-resolver` with `npm pack` once (global-setup.ts), installs the tarballs into
 * a project in the system's temporary folder (outside the workspace, so nothing resolves to the
 * sources), and uses them there: the README's snippets on the project's Node, the machine's
 * (Node 20) and Node 24 (`CARTAE_NODE24`, set by scripts/test-all.mjs), ES modules and CommonJS;
 * strict tsc with node16 and bundler resolution; an esbuild browser bundle within its budget; the
 * README in workerd (Miniflare); and publint and attw on the tarballs.
 */
const root = new URL('../..', import.meta.url).pathname;

export default defineConfig({
  root,
  test: {
    name: 'sdk-consumer',
    include: ['tests/sdk-consumer/**/*.test.ts'],
    globalSetup: ['tests/sdk-consumer/global-setup.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
