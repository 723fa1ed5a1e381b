import { defineConfig } from 'vitest/config';

/** End-to-end tier: the real stack on loopback, driven in Debian's Chromium. */
export default defineConfig({
  test: {
    name: 'e2e',
    root: new URL('../../', import.meta.url).pathname,
    include: ['tests/marketplace/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
