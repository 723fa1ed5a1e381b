import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';

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
  // Its own process group (so stop() reaches workerd too) outlives this process unless told:
  // a crash or an uncaught error here must not leave wrangler and workerd holding the port.
  const killGroup = () => {
    try {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.once('exit', killGroup);
  child.once('exit', () => process.removeListener('exit', killGroup));
  const log = createWriteStream(options.logFile, { flags: 'a' });
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
      log.write(chunk);
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
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.pid === undefined) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(-child.pid, 'SIGTERM'); // the whole group: wrangler and its workerd
      } catch {
        child.kill('SIGTERM');
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      log.end();
    },
  };
}
