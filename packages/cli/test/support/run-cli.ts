import { type ChildProcess, spawn } from 'node:child_process';

const bin = new URL('../../bin/cartae-marketplace.mjs', import.meta.url).pathname;

export interface CliRun {
  readonly child: ChildProcess;
  /** Everything written so far. */
  readonly out: { stdout: string; stderr: string };
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number>;
}

/** Starts the real CLI in a child process, as an operator would, with only `env` (and PATH) set. */
export function startCli(args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, [bin, '--data-dir', '/nonexistent-cartae-data', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (c) => (out.stdout += c));
  child.stderr?.on('data', (c) => (out.stderr += c));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  return { child, out, exited };
}

/** Runs the real CLI to the end. */
export async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = startCli(args, env);
  const code = await run.exited;
  return { code, ...run.out };
}
