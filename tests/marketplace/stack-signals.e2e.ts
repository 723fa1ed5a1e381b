import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { procStat } from '../../packages/cli/src/stack/proc-stat.ts';

/**
 * `npm start` stops everything it started whichever way it is told to: Ctrl-C, a SIGTERM or SIGINT
 * to npm alone (npm passes it on to the Node its start script `exec`s), a closed terminal (SIGHUP to the
 * process group). The stack runs exactly as a person starts it, through npm and the bootstrap, on
 * ports the system picks, PGlite in memory, a data folder of its own. Its processes are found by
 * ancestry from that npm and by that folder in their command line, never by name: other stacks
 * may run on this machine meanwhile.
 */
const root = new URL('../../', import.meta.url).pathname;

interface Proc {
  pid: number;
  ppid: number;
  state: string;
  started: string;
  cmd: string;
}

/** Every process now, from /proc (a process that ends while being read is skipped). */
function processes(): Proc[] {
  const all: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(name);
    if (stat === undefined) continue; // gone meanwhile
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      all.push({ pid: Number(name), state: stat.state, ppid: stat.parent, started: stat.started, cmd });
    } catch {
      // gone meanwhile
    }
  }
  return all;
}

/** `rootPid` and all its descendants, plus any process whose command line names `dataDir`. */
function stackProcesses(rootPid: number, dataDir: string): Proc[] {
  const all = processes().filter((p) => p.state !== 'Z');
  const found = new Map<number, Proc>();
  for (const p of all) if (p.pid === rootPid || p.cmd.includes(dataDir)) found.set(p.pid, p);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!found.has(p.pid) && found.has(p.ppid)) {
        found.set(p.pid, p);
        grew = true;
      }
    }
  }
  return [...found.values()];
}

/** Those of `before` still running (same pid and start time: not a reused pid). */
function survivors(before: Proc[], dataDir: string): Proc[] {
  const now = new Map(processes().map((p) => [p.pid, p]));
  const left = before.filter((p) => {
    const same = now.get(p.pid);
    return same !== undefined && same.started === p.started && same.state !== 'Z';
  });
  const strays = [...now.values()].filter(
    (p) => p.state !== 'Z' && p.cmd.includes(dataDir) && !left.some((l) => l.pid === p.pid),
  );
  return [...left, ...strays];
}

const portFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

interface NpmStack {
  npm: ChildProcess;
  dataDir: string;
  ports: number[];
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start -- --memory …` in a session of its own (its pid leads the group, as a terminal's job). */
async function startNpmStack(): Promise<NpmStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cartae-stack-signals-'));
  const ports = ['--supabase-port', '--git-port', '--worker-port', '--admin-port', '--web-port'];
  const npm = spawn(
    'npm',
    ['start', '--', '--memory', '--data-dir', dataDir, ...ports.flatMap((flag) => [flag, '0'])],
    {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH ?? ''}` },
    },
  );
  let output = '';
  npm.stdout?.on('data', (chunk) => (output += chunk));
  npm.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    npm.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within 60 s:\n${output}`)), 60_000);
    const check = () => {
      if (!output.includes('Ctrl-C stops everything.')) return;
      clearTimeout(timer);
      resolve();
    };
    npm.stdout?.on('data', check);
    npm.stderr?.on('data', check);
    void exited.then(() => reject(new Error(`npm start ended before it was ready:\n${output}`)));
  });
  const urls = output.slice(output.indexOf('Ready in'));
  const found = [...urls.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
  return { npm, dataDir, ports: [...new Set(found)], output: () => output, exited };
}

let running: { stack: NpmStack; procs: Proc[] } | undefined;
afterEach(() => {
  // A failed scenario must not leave its stack to the next one, nor to the machine.
  if (!running) return;
  for (const p of survivors(running.procs, running.stack.dataDir)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(running.stack.dataDir, { recursive: true, force: true });
  running = undefined;
});

/** SIGINT to npm alone stops it too: the start script `exec`s Node, so npm passes it on to the stack. */
const scenarios: { name: string; signal: NodeJS.Signals; to: 'group' | 'npm'; againAfterMs?: number }[] = [
  { name: 'Ctrl-C (SIGINT to the process group)', signal: 'SIGINT', to: 'group' },
  { name: 'SIGTERM to the npm process alone', signal: 'SIGTERM', to: 'npm' },
  { name: 'SIGINT to the npm process alone', signal: 'SIGINT', to: 'npm' },
  { name: 'a closed terminal (SIGHUP to the process group)', signal: 'SIGHUP', to: 'group' },
  { name: 'Ctrl-C twice, the second while stopping', signal: 'SIGINT', to: 'group', againAfterMs: 600 },
];

describe('npm start stops everything it started', { timeout: 90_000 }, () => {
  it.each(scenarios)('$name', async ({ signal, to, againAfterMs }) => {
    const stack = await startNpmStack();
    const procs = stackProcesses(stack.npm.pid as number, stack.dataDir);
    running = { stack, procs };
    // The Worker's processes are there, so their absence afterwards means something.
    expect(procs.map((p) => p.cmd).join('\n')).toMatch(/wrangler[\s\S]*workerd/);
    expect(stack.ports).toHaveLength(5);

    const sent = Date.now();
    const target = to === 'group' ? -(stack.npm.pid as number) : (stack.npm.pid as number);
    process.kill(target, signal);
    if (againAfterMs !== undefined) {
      await new Promise((r) => setTimeout(r, againAfterMs));
      // npm is gone by now; the bootstrap and `up` are stopping (or done: ESRCH).
      try {
        process.kill(target, signal);
      } catch {}
    }
    let left = procs;
    while (left.length > 0 && Date.now() - sent < 20_000) {
      await new Promise((r) => setTimeout(r, 100));
      left = survivors(procs, stack.dataDir);
    }
    const ms = Date.now() - sent;
    expect(
      left.map((p) => `${p.pid} ${p.cmd.slice(0, 160)}`),
      `left ${ms} ms after ${signal}:\n${stack.output().slice(-1500)}`,
    ).toEqual([]);
    await stack.exited;
    for (const port of stack.ports) expect(await portFree(port), `port ${port}`).toBe(true);
    console.log(`${signal} to ${to}: all ${procs.length} processes gone in ${ms} ms`);
  });
});
