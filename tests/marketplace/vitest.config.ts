import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../../scripts/source-conditions.ts';

// The resolver's default storage on Node: a folder of this run's own, never the user's state folder.
process.env.CARTAE_MARKETPLACE_STATE_DIR ??= mkdtempSync(join(tmpdir(), 'cartae-marketplace-tests-'));

/** End-to-end tier: the real stack on loopback, driven in Debian's Chromium. */
export default defineConfig({
  // The workspace packages from their TypeScript sources (scripts/source-conditions.ts).
  ...sourceConditions(defaultClientConditions, defaultServerConditions),
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
