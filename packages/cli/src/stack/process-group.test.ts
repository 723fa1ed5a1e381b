import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { groupAlive, signalGroup, stopProcessGroup } from './process-group.ts';

// A group of two: a shell and its child, as wrangler and its workerd.
const started: number[] = [];
function startGroup(script: string): number {
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  started.push(child.pid as number);
  return child.pid as number;
}
afterEach(() => {
  for (const pgid of started.splice(0)) signalGroup(pgid, 'SIGKILL');
});

describe('stopProcessGroup', { timeout: 15_000 }, () => {
  it('stops a group that obeys SIGTERM, child and all', async () => {
    const pgid = startGroup('sleep 30 & wait');
    expect(groupAlive(pgid)).toBe(true);
    expect(await stopProcessGroup(pgid, { graceMs: 3_000 })).toBe('stopped');
    expect(groupAlive(pgid)).toBe(false);
  });

  it('kills what ignores SIGTERM once the grace is over', async () => {
    // Both ignore SIGTERM: the shell traps it and its child inherits the ignored disposition.
    const pgid = startGroup("trap '' TERM; sleep 30 & wait; wait");
    await new Promise((r) => setTimeout(r, 100));
    const began = Date.now();
    expect(await stopProcessGroup(pgid, { graceMs: 300 })).toBe('killed');
    expect(Date.now() - began).toBeGreaterThanOrEqual(300);
    expect(groupAlive(pgid)).toBe(false);
  });

  it('says "stopped" for a group already gone', async () => {
    const pgid = startGroup('exit 0');
    await new Promise((r) => setTimeout(r, 200));
    expect(await stopProcessGroup(pgid)).toBe('stopped');
  });
});
