import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningLocalStack, startLocalStack } from '../../../packages/cli/src/stack/local-stack.ts';
import { freePort } from '../../../packages/cli/src/stack/ports.ts';

const repoRoot = new URL('../../../', import.meta.url).pathname;

export interface SigningStackOptions {
  /** The registry signed at start with the development key (what `npm start` does); default true. */
  readonly signing?: boolean;
  /** The once-a-minute Cron Trigger (default on); off, the Worker mirrors only when told to. */
  readonly cronTicker?: boolean;
}

export type SigningStack = RunningLocalStack & {
  readonly dataDir: string;
  dispose(): Promise<void>;
};

/**
 * The whole local stack exactly as `startWholeStack` runs it (what `npm start` runs, on free
 * ports, PGlite in memory, a 5 s config TTL), with the choice of starting unsigned: a fleet
 * before signing is turned on. The running stack is returned as is (not copied), so its `worker`
 * follows `redeployWorker`.
 */
export async function startSigningStack(options: SigningStackOptions = {}): Promise<SigningStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cartae-e2e-signing-'));
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
      ...(options.signing === undefined ? {} : { signing: options.signing }),
      ...(options.cronTicker === undefined ? {} : { cronTicker: options.cronTicker }),
    },
    () => {},
  );
  return Object.assign(stack, {
    dataDir,
    async dispose() {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/** POST /admin/sync on the stack's Worker: one mirror run now, as an operator would ask for. */
export async function syncWorker(
  stack: RunningLocalStack,
): Promise<{ status: number; body: { result: string; message: string; version?: number } }> {
  const response = await fetch(`${stack.info.workerUrl}/admin/sync`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.info.adminToken}` },
  });
  return { status: response.status, body: (await response.json()) as never };
}
