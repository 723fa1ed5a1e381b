import { readFileSync } from 'node:fs';

/** What Linux's `/proc/<pid>/stat` says of a process, the fields this project reads. */
export interface ProcStat {
  /** The command name (the kernel keeps 15 characters). */
  readonly name: string;
  /** `R`, `S`, `Z` (zombie: ended, not yet reaped), … */
  readonly state: string;
  readonly parent: number;
  readonly group: number;
  /** When it started, in clock ticks since boot: with the pid, names one process for good. */
  readonly started: string;
}

/**
 * Reads `/proc/<pid>/stat`; `undefined` when the process is gone (or there is no /proc). The name
 * is in parentheses and may hold spaces and parentheses, so the fields are read after its last one.
 *
 * @example
 * procStat(process.pid); // { name: 'node', state: 'R', parent: 4120, group: 4120, started: '812345' }
 */
export function procStat(pid: number | string): ProcStat | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state = '', parent, group] = fields;
  return {
    name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    state,
    parent: Number(parent),
    group: Number(group),
    started: fields[19] ?? '',
  };
}
