import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import { sourceConditions } from '../../scripts/source-conditions.ts';
import {
  ADMIN_TEST_TOKEN,
  GIT_SCENARIOS,
  SUPABASE_TEST_ANON_KEY,
  SUPABASE_TEST_SERVICE_ROLE_KEY,
} from './test/support/scenarios.ts';

const here = new URL('.', import.meta.url).pathname;

/**
 * The Worker tier: tests run inside workerd with the bindings of wrangler.jsonc. The global setup
 * (in Node) starts a local Git host and a stand-in control plane on loopback; their URLs reach the
 * Worker as vars through `inject`.
 */
export default defineConfig({
  root: here,
  // The workspace packages from their TypeScript sources (scripts/source-conditions.ts).
  ...sourceConditions(defaultClientConditions, defaultServerConditions),
  plugins: [
    cloudflareTest(({ inject }) => {
      // The secrets wrangler.jsonc requires, where wrangler reads them (as `wrangler dev` does).
      Object.assign(process.env, {
        SUPABASE_URL: `${inject('controlPlaneUrl')}/good`,
        SUPABASE_ANON_KEY: SUPABASE_TEST_ANON_KEY,
        ADMIN_TOKEN: ADMIN_TEST_TOKEN,
        SUPABASE_SERVICE_ROLE_KEY: SUPABASE_TEST_SERVICE_ROLE_KEY,
      });
      return {
        wrangler: { configPath: './wrangler.jsonc' },
        miniflare: {
          bindings: {
            REGISTRY_GIT_URL: `${inject('gitHostUrl')}${GIT_SCENARIOS.current}`,
            ALLOW_LOOPBACK_HTTP: 'true',
            // Tests that need the edge cache turn it on per request; elsewhere it would hide changes.
            CONFIG_CACHE_SECONDS: '0',
            TEST_GIT_HOST_URL: inject('gitHostUrl'),
            TEST_CONTROL_PLANE_URL: inject('controlPlaneUrl'),
            TEST_TRUSTED_KEYS: inject('trustedKeys'),
            TEST_SUPABASE_STAND_IN_URL: inject('supabaseStandInUrl'),
            TEST_SUPABASE_STAND_IN_ANON_KEY: inject('supabaseStandInAnonKey'),
            TEST_SUPABASE_STAND_IN_SERVICE_ROLE_KEY: inject('supabaseStandInServiceRoleKey'),
          },
        },
      };
    }),
  ],
  test: {
    name: 'worker',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // The Worker logs one JSON line per mirror run and control-plane failure; keep test output readable.
    onConsoleLog: (log) => !log.startsWith('{"event":'),
  },
});
