import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import { sourceConditions } from './scripts/source-conditions.ts';

/**
 * The resolver's default storage on Node persists in the user's state folder; a test run keeps it
 * in a folder of its own, so runs never see each other's install id, config or registry.
 */
process.env.CARTAE_MARKETPLACE_STATE_DIR ??= mkdtempSync(join(tmpdir(), 'cartae-marketplace-tests-'));

/**
 * One Vitest run covers every tier that runs under Node. Each tier is a project so
 * `vitest run --project unit` (or `db`) runs one on its own. The Worker tier runs inside
 * workerd and has its own config (see infrastructure/cloudflare-worker/vitest.config.ts).
 * Every project runs the workspace packages from their sources (scripts/source-conditions.ts).
 */
const sources = sourceConditions(defaultClientConditions, defaultServerConditions);

export default defineConfig({
  test: {
    projects: [
      {
        ...sources,
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'apps/*/src/**/*.test.ts',
            'tests/unit/**/*.test.ts',
          ],
          exclude: ['**/*.browser.test.ts', '**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        ...sources,
        test: {
          // The control plane's SQL, on a real PostgreSQL 15 cluster and on PGlite.
          name: 'db',
          include: ['supabase/tests/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['supabase/tests/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...sources,
        plugins: [react()],
        test: {
          // React components in jsdom, against the real Supabase stand-in and loopback sources.
          name: 'components',
          include: [
            'packages/*/test/**/*.test.tsx',
            'packages/*/src/**/*.test.tsx',
            'apps/*/src/**/*.test.tsx',
          ],
          environment: 'jsdom',
          globalSetup: ['packages/plugin-admin/test/support/global-setup.ts'],
          setupFiles: ['packages/plugin-admin/test/support/jsdom-gaps.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...sources,
        test: {
          // Code that must run in browsers, exercised in Debian's Chromium via playwright-core.
          name: 'browser',
          include: ['packages/*/test/**/*.browser.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
