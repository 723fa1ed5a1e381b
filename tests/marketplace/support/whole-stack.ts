import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningLocalStack, startLocalStack } from '../../../packages/cli/src/stack/local-stack.ts';
import { freePort } from '../../../packages/cli/src/stack/ports.ts';

const repoRoot = new URL('../../../', import.meta.url).pathname;

export interface WholeStackOptions {
  /** The Worker's ALERT_WEBHOOK_URL and ALERT_WEBHOOK_SECRET (alerts are off without them). */
  alertWebhook?: { url: string; secret: string };
  /** The once-a-minute Cron Trigger (default on); off, only `runScheduledMinute()` runs it. */
  cronTicker?: boolean;
}

/**
 * Exactly what `npm start` runs (the CLI's `startLocalStack`), on free ports, PGlite in memory,
 * and a 5 s config TTL so switches show quickly. The reference app runs as built: it reads the
 * registry on open, on config changes, on return after the TTL and on Refresh, never on a timer.
 */
export async function startWholeStack(
  options: WholeStackOptions = {},
): Promise<RunningLocalStack & { dataDir: string; dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cartae-e2e-'));
  const ports = {
    supabase: await freePort(),
    git: await freePort(),
    worker: await freePort(),
    admin: await freePort(),
    web: await freePort(),
  };
  const stack = await startLocalStack(
    {
      repoRoot,
      dataDir,
      host: '127.0.0.1',
      ports,
      memory: true,
      cacheTtlSeconds: 5,
      ...(options.alertWebhook ? { alertWebhook: options.alertWebhook } : {}),
      ...(options.cronTicker === undefined ? {} : { cronTicker: options.cronTicker }),
    },
    () => {},
  );
  return {
    ...stack,
    dataDir,
    async dispose() {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
