// The project's own Node: the `node` devDependency (a current LTS, from the npm registry), which
// `npm install` puts in node_modules/.bin and npm puts first on PATH for every script. A bare machine
// may only have an older Node (Node 20 on these machines): the entry scripts (`npm test`,
// `npm start`, `npm run bench`) call `useProjectRuntime()` first, which installs what is missing and
// then carries on under the project's Node. Uses only Node built-ins: node_modules may not exist yet.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const binDir = join(root, 'node_modules', '.bin');
/** The project's Node binary (present once node_modules is installed). */
export const projectNodePath = join(binDir, 'node');

/** The Node version the project's scripts run on, as pinned in package.json. */
export const projectNodeVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies
  .node;

/** Runs a command in the project's root; on failure, says which and exits with its code. */
export function run(cmd, args, opts = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`\n✖ "${cmd} ${args.join(' ')}" failed with exit code ${r.status ?? r.signal}`);
    process.exit(r.status ?? 1);
  }
}

/** node_modules is missing, incomplete, or older than package-lock.json (a pull changed it). */
function modulesOutOfDate() {
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(installed) || !existsSync(projectNodePath)) return true;
  return statSync(join(root, 'package-lock.json')).mtimeMs > statSync(installed).mtimeMs;
}

/** PATH with the project's binaries (its Node first) ahead of the machine's. */
export function projectPath(path = process.env.PATH ?? '') {
  return [binDir, ...path.split(delimiter).filter((dir) => dir !== binDir)].join(delimiter);
}

/**
 * `npm ci`, run by the project's Node: on a machine whose Node is older, the pinned Node is fetched
 * first into .tmp/bootstrap-node (from the npm registry, like every other package), so that every
 * package is installed, and its install scripts run, by the Node that will run it.
 */
function installModules() {
  const env = { ...process.env };
  if (process.versions.node !== projectNodeVersion) {
    const bootstrap = join(root, '.tmp', 'bootstrap-node');
    console.log(
      `Node ${process.versions.node} here; the project runs on Node ${projectNodeVersion}: fetching it from the npm registry first.`,
    );
    run('npm', [
      'install',
      '--prefix',
      bootstrap,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `node@${projectNodeVersion}`,
    ]);
    env.PATH = [join(bootstrap, 'node_modules', '.bin'), env.PATH].join(delimiter);
  }
  run('npm', ['ci', '--no-audit', '--no-fund'], { env });
  rmSync(join(root, '.tmp', 'bootstrap-node'), { recursive: true, force: true });
}

/** Installs node_modules (exactly as locked) when it is missing or out of date. */
export function ensureModules() {
  if (!modulesOutOfDate()) return;
  console.log(existsSync(join(root, 'node_modules')) ? 'node_modules is out of date.' : 'First run.');
  installModules();
}

/** The signals that ask a program to stop: Ctrl-C, `kill`, a closed terminal. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `command` on this process's terminal and stands in for it until it ends: each stop signal
 * this process gets is passed on to the child; a parent that vanishes (npm runs scripts through
 * `sh -c`, which dies of a SIGTERM aimed at npm alone and passes nothing on) counts as a SIGTERM;
 * and this process ends as the child did, with its exit code or by its signal. The child may get
 * a terminal's signal twice (from the terminal and from here): it must treat a repeat as such.
 */
export function runForwardingSignals(command, args, options = {}) {
  const child = spawn(command, args, { stdio: 'inherit', ...options });
  let forwarded = false;
  const forward = (signal) => {
    forwarded = true;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, forward);
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    if (!forwarded) forward('SIGTERM');
  }, 250);
  child.once('error', (error) => {
    console.error(`✖ could not run ${command}: ${error.message}`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => {
    clearInterval(watch);
    for (const s of STOP_SIGNALS) process.removeListener(s, forward);
    if (code !== null) process.exit(code);
    // Ended by a signal: end the same way, so whoever started us sees it.
    process.kill(process.pid, signal);
    setTimeout(() => process.exit(1), 1_000);
  });
  return child;
}

/**
 * Makes sure node_modules is installed and this script runs on the project's Node: installs when
 * needed, then, when this process is another Node, runs the same script again under the project's
 * Node and exits with its code. The machine's own Node is passed on as CARTAE_SYSTEM_NODE (the
 * SDK's Node 20 tier runs on it).
 */
export function useProjectRuntime(script) {
  ensureModules();
  if (process.versions.node === projectNodeVersion) return;
  const r = spawnSync(projectNodePath, [script, ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: root,
    env: {
      ...process.env,
      PATH: projectPath(),
      CARTAE_SYSTEM_NODE: process.env.CARTAE_SYSTEM_NODE ?? process.execPath,
    },
  });
  // Synchronous, as the caller's next lines must not run on this Node: a terminal's signals reach
  // the child directly (same process group). Ended by a signal: end the same way.
  if (r.signal) process.kill(process.pid, r.signal);
  process.exit(r.status ?? 1);
}

/**
 * The machine's own Node (the one on PATH outside any node_modules), for the tier that proves the
 * SDK still runs where installed apps embed it. `undefined` when there is none.
 */
export function systemNode() {
  const candidates = [
    process.env.CARTAE_SYSTEM_NODE,
    ...(process.env.PATH ?? '')
      .split(delimiter)
      .filter((dir) => dir && !dir.split('/').includes('node_modules'))
      .map((dir) => join(dir, 'node')),
  ];
  for (const candidate of candidates) {
    if (!candidate || !existsSync(candidate)) continue;
    const real = realpathSync(candidate);
    if (real.startsWith(join(root, 'node_modules'))) continue;
    return real;
  }
  return undefined;
}

/** `v20.20.2` for a Node binary. */
export function nodeVersionOf(nodePath) {
  return spawnSync(nodePath, ['--version'], { encoding: 'utf8' }).stdout.trim();
}
