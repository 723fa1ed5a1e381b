import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A Node binary the README's snippets run on. */
export interface NodeRuntime {
  readonly label: string;
  readonly path: string;
}

/** The environment variable naming a Node 24 binary (scripts/test-all.mjs installs one into .tmp). */
export const NODE24_ENV = 'CARTAE_NODE24';

/** The version a Node binary reports (`v24.21.0`), or an empty string when it does not run. */
export function versionOf(node: string): string {
  return spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
}

/** The machine's own Node (20 here: the SDK's floor), found as scripts/project-runtime.mjs does. */
function machineNode(): string | undefined {
  const dirs = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((d) => d && !d.split('/').includes('node_modules'));
  const candidates = [process.env.CARTAE_SYSTEM_NODE, ...dirs.map((d) => join(d, 'node')), '/usr/bin/node'];
  return candidates.find((c): c is string => c !== undefined && existsSync(c));
}

/**
 * The Nodes the README must work on: the project's own, the machine's (Node 20), and Node 24 when
 * `CARTAE_NODE24` names it. `missing` says why a supported Node is not in the list, so the tier can
 * say so instead of passing without it.
 */
export function nodeRuntimes(env: NodeJS.ProcessEnv = process.env): {
  nodes: NodeRuntime[];
  missing: string[];
} {
  const nodes: NodeRuntime[] = [{ label: `the project's Node ${process.version}`, path: process.execPath }];
  const missing: string[] = [];
  const machine = machineNode();
  if (machine === undefined) missing.push("the machine's Node (20): no `node` on PATH outside node_modules");
  else nodes.push({ label: `the machine's Node ${versionOf(machine)}`, path: machine });
  const node24 = env[NODE24_ENV];
  if (node24 === undefined || node24 === '') {
    missing.push(
      `Node 24: ${NODE24_ENV} is not set. scripts/test-all.mjs installs node@24.21.0 into ` +
        `.tmp/node-24.21.0 and sets it; by hand: ${NODE24_ENV}=$PWD/.tmp/node-24.21.0/node_modules/.bin/node`,
    );
  } else {
    // A path that does not run is listed anyway: its tests then fail, saying which binary.
    nodes.push({
      label: `Node 24 (${NODE24_ENV}) ${versionOf(node24) || `${node24}: does not run`}`,
      path: node24,
    });
  }
  return { nodes, missing };
}
