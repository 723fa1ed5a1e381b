import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { signalGroup, stopProcessGroup } from './process-group.ts';

export interface RunningWorker {
  url: string;
  stop(): Promise<void>;
}

/**
 * The CDN Worker under `wrangler dev` (workerd, local KV persisted in `persistTo`), wired to the
 * local Git host through `--var` and to the control plane through the secrets wrangler.jsonc requires,
 * given in wrangler's environment as `wrangler dev` documents. Its output goes to `logFile`. `configPath`
 * runs another Worker the same way (the benchmark's empty reference Worker).
 */
export async function startWorker(options: {
  repoRoot: string;
  host: string;
  port: number;
  persistTo: string;
  logFile: string;
  vars: Record<string, string>;
  secrets?: Record<string, string>;
  timeoutMs?: number;
  configPath?: string;
  /** Exposes `/__scheduled` (wrangler's `--test-scheduled`) so the stack can run the Cron Trigger. */
  testScheduled?: boolean;
}): Promise<RunningWorker> {
  const wrangler = join(options.repoRoot, 'node_modules', '.bin', 'wrangler');
  const configPath =
    options.configPath ?? join(options.repoRoot, 'infrastructure/cloudflare-worker/wrangler.jsonc');
  const args = [
    'dev',
    '--config',
    configPath,
    '--local',
    '--ip',
    options.host,
    '--port',
    String(options.port),
    '--persist-to',
    options.persistTo,
    '--show-interactive-dev-session=false',
    ...(options.testScheduled ? ['--test-scheduled'] : []),
    ...Object.entries(options.vars).flatMap(([key, value]) => ['--var', `${key}:${value}`]),
  ];
  const child: ChildProcess = spawn(wrangler, args, {
    cwd: dirname(configPath),
    env: { ...process.env, ...options.secrets, WRANGLER_SEND_METRICS: 'false', CI: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  // Its own process group, so a signal reaches workerd and esbuild too; detached, it outlives this
  // process unless told: whatever ends this process (a crash, a second signal, `process.exit`) kills
  // the group at once, as there is no time left to ask nicely. Kept until the group is gone.
  const pgid = child.pid;
  const killAtExit = () => {
    if (pgid !== undefined) signalGroup(pgid, 'SIGKILL');
  };
  process.once('exit', killAtExit);
  const log = createWriteStream(options.logFile, { flags: 'a' });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (pgid !== undefined) await stopProcessGroup(pgid, { graceMs: 3_000 });
      process.removeListener('exit', killAtExit);
      log.end();
    })();
    return stopping;
  };
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `wrangler dev did not start within ${(options.timeoutMs ?? 60_000) / 1000} s; see ${options.logFile}`,
          ),
        ),
      options.timeoutMs ?? 60_000,
    );
    const onData = (chunk: Buffer) => {
      if (!log.writableEnded) log.write(chunk);
      output += chunk.toString();
      const ready = /Ready on (http:\/\/\S+)/.exec(output);
      if (ready?.[1]) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`wrangler dev exited with ${code}; see ${options.logFile}\n${output.slice(-2000)}`));
    });
  }).catch(async (error: unknown) => {
    // Not started (or gone): its workerd may still hold ports.
    await stop();
    throw error;
  });
  return { url, stop };
}
