import { existsSync, readdirSync } from 'node:fs';
import { procStat } from './proc-stat.ts';

/**
 * A child started with `detached: true` leads a process group of its own (wrangler, its workerd
 * and esbuild): a signal to the group reaches every one of them, and nothing of it dies with us
 * unless we say so. These helpers signal the group as a whole.
 */

/** Sends `signal` to every process of group `pgid`; false when none is left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    // EPERM: some member exists but is not ours to signal; it is still there.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether any process of group `pgid` is still alive. A zombie is not: it holds no port and no
 * memory, only an entry its new parent has yet to reap (some container inits take seconds). Where
 * there is a /proc (Linux) the members are read from it; elsewhere a zombie counts as alive.
 */
export function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  if (!existsSync('/proc/self/stat')) return true;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(name); // undefined: ended meanwhile
    if (stat?.group === pgid && stat.state !== 'Z') return true;
  }
  return false;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function gone(pgid: number, withinMs: number, pollMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await sleep(pollMs);
  }
  return true;
}

/**
 * Stops a whole process group: SIGTERM, then SIGKILL for whatever is left after `graceMs`
 * (a wrangler whose parent vanished may spin and ignore SIGTERM). Resolves with how it ended:
 * `stopped` (SIGTERM was enough), `killed`, or `stuck` (still there `killWaitMs` after SIGKILL:
 * a process in uninterruptible sleep, or a zombie where there is no /proc to tell).
 */
export async function stopProcessGroup(
  pgid: number,
  options: { graceMs?: number; killWaitMs?: number; pollMs?: number } = {},
): Promise<'stopped' | 'killed' | 'stuck'> {
  const { graceMs = 3_000, killWaitMs = 2_000, pollMs = 50 } = options;
  if (!signalGroup(pgid, 'SIGTERM')) return 'stopped';
  if (await gone(pgid, graceMs, pollMs)) return 'stopped';
  signalGroup(pgid, 'SIGKILL');
  return (await gone(pgid, killWaitMs, pollMs)) ? 'killed' : 'stuck';
}
