/**
 * @cartae/marketplace-worker — the Cloudflare Worker that serves Cartae's plugin registry at the
 * edge: GET /api/plugins[/{id}], GET and POST /api/config (POST carries a usage report), GET
 * /health, POST /admin/sync, a Cron Trigger that mirrors the Git registry into KV, and the
 * `UsageAggregator` Durable Object that sums usage reports per minute. See README.md and
 * docs/deploy-worker.md.
 */
import { createWorkerApp } from './app.ts';
import { settingsFor } from './app-env.ts';
import { mirrorOnce } from './registry/current-registry.ts';
import type { WorkerEnv } from './worker-env.ts';
import { DEFAULT_PLATFORM } from './worker-platform.ts';

export { createWorkerApp } from './app.ts';
export { UsageAggregator } from './usage/usage-aggregator.ts';
export type { WorkerEnv } from './worker-env.ts';
export type { WorkerPlatform } from './worker-platform.ts';

const app = createWorkerApp(DEFAULT_PLATFORM);

export default {
  fetch: app.fetch,
  /** The Cron Trigger (wrangler.jsonc `triggers.crons`): mirror Git into KV. */
  async scheduled(_controller, env) {
    await mirrorOnce({
      kv: env.REGISTRY_KV,
      settings: settingsFor(env),
      githubToken: env.GITHUB_TOKEN,
      platform: DEFAULT_PLATFORM,
    });
  },
} satisfies ExportedHandler<WorkerEnv>;
