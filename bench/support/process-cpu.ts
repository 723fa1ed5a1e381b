import { readdirSync, readFileSync } from 'node:fs';
import { procStat } from '../../packages/cli/src/stack/proc-stat.ts';

/**
 * CPU time a process has spent on a core, in milliseconds: the sum over its threads of the
 * kernel's scheduler accounting (`/proc/<pid>/task/<tid>/schedstat`, first field, nanoseconds).
 * Unlike a sampling profiler it counts exactly the time the threads ran, never the time they
 * waited for a core, so it stays true on a busy machine. Linux only.
 *
 * @example
 * const before = processCpuMs(pid);
 * await fetch(url);
 * const cpu = processCpuMs(pid) - before; // 1.4
 */
export function processCpuMs(pid: number): number {
  let nanoseconds = 0;
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read: its time is gone with it.
    }
  }
  return nanoseconds / 1e6;
}

/**
 * The ids of this process's children running `command` (the kernel's 15-character name), e.g.
 * the `workerd` a Miniflare instance spawned.
 */
export function childPids(command: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(entry);
    if (stat?.name === command && stat.parent === process.pid) pids.push(Number(entry));
  }
  return pids;
}
