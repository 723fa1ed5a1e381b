import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A Supabase stand-in of one test file's own, in a child Node process (jsdom's globals break
 * the stand-in's JWT signing in-process), with the admins `admins` already created. Stopped
 * by `stop()`, which kills that process alone.
 */
export async function startOwnStandIn(admins: { email: string; password: string; displayName: string }[]) {
  // Vitest runs from the repository root (vitest.config.ts).
  const script = join(process.cwd(), 'packages/plugin-admin/test/support/own-stand-in-process.ts');
  const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
  const child: ChildProcess = spawn(tsx, [script, JSON.stringify(admins)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = await new Promise<{ supabaseUrl: string; anonKey: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the stand-in exited with ${code}`)));
    lines.on('line', (line) => {
      if (line.startsWith('{')) resolve(JSON.parse(line));
    });
  });
  return {
    where: ready,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
