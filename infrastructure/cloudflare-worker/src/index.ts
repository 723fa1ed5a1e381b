/**
 * @cartae/marketplace-worker — the Cloudflare Worker that serves Cartae's plugin registry at the
 * edge: GET /api/plugins[/{id}], GET /api/plugins.sig (its detached signature), GET and POST /api/config (POST carries a usage report), GET
 * /health, POST /admin/sync, a once-a-minute Cron Trigger (the fleet automation's evaluation and
 * alerts every minute, the Git mirror into KV every 5 minutes), and the `UsageAggregator` Durable Object that sums usage reports per minute. See README.md and
 * docs/deploy-worker.md.
 */
import { createWorkerApp } from './app.ts';
import { settingsFor } from './app-env.ts';
import { runScheduledMinute } from './automation/scheduled-minute.ts';
import { warmUp } from './warm-up.ts';
import type { WorkerEnv } from './worker-env.ts';
import { DEFAULT_PLATFORM } from './worker-platform.ts';

export { createWorkerApp } from './app.ts';
export { UsageAggregator } from './usage/usage-aggregator.ts';
export type { WorkerEnv } from './worker-env.ts';
export type { WorkerPlatform } from './worker-platform.ts';

const app = createWorkerApp(DEFAULT_PLATFORM);
// At startup, not in a new isolate's first request: see warm-up.ts.
warmUp(app);

export default {
  fetch: app.fetch,
  /**
   * The Cron Trigger (wrangler.jsonc `triggers.crons`, every minute): evaluate the fleet automation
   * and watch the mirror for alerts every minute; mirror Git into KV on the 5-minute marks.
   */
  async scheduled(controller, env, ctx?: ExecutionContext) {
    await runScheduledMinute({
      env,
      settings: settingsFor(env),
      platform: DEFAULT_PLATFORM,
      scheduledTime: controller.scheduledTime,
      // The test pool may call the handler without a context: deliveries are then awaited.
      waitUntil: ctx === undefined ? undefined : (work) => ctx.waitUntil(work),
    });
  },
} satisfies ExportedHandler<WorkerEnv>;
