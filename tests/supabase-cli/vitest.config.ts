import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../../scripts/source-conditions.ts';

/**
 * The Supabase CLI tier: the real `supabase` CLI (the npm package) against a throwaway
 * PostgreSQL 15 cluster, next to this repository's own migration runner. Needs PostgreSQL 15 and
 * plpgsql_check (for `supabase db lint`); `npm test` installs both when missing.
 */
const root = new URL('../..', import.meta.url).pathname;

export default defineConfig({
  root,
  ...sourceConditions(defaultClientConditions, defaultServerConditions),
  test: {
    name: 'supabase-cli',
    include: ['tests/supabase-cli/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
