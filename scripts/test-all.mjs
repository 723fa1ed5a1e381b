#!/usr/bin/env node
// Runs every test tier. Installs what is missing first: node modules (with the project's Node,
// see project-runtime.mjs), and Debian's postgresql (database tier) and chromium (end-to-end tier)
// when absent. Every tier runs on the project's Node, and the SDK's tests also on the machine's own
// Node (20 here), which apps already installed embed the SDK in.
// Uses only Node built-ins, because node_modules may not exist yet.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { nodeVersionOf, root, run, systemNode, useProjectRuntime } from './project-runtime.mjs';

useProjectRuntime(new URL(import.meta.url).pathname);

function hasTests(dir, pattern = /\.test\.ts$/) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return false;
  const stack = [abs];
  while (stack.length) {
    const d = stack.pop();
    for (const name of readdirSync(d)) {
      if (name === 'node_modules') continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) stack.push(p);
      else if (pattern.test(name)) return true;
    }
  }
  return false;
}

let aptUpdated = false;
function aptInstall(pkg) {
  if (process.getuid?.() !== 0) {
    console.error(`✖ ${pkg} is missing and this is not root: run "apt-get install -y ${pkg}" first.`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    run('apt-get', ['update', '-q'], { env });
    aptUpdated = true;
  }
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', pkg], { env });
}

// 1. Debian packages for the tiers that exist.
if (hasTests('supabase/tests') && !existsSync('/usr/lib/postgresql/15/bin/initdb')) {
  console.log("PostgreSQL 15 server not found: installing Debian's postgresql for the database tier.");
  aptInstall('postgresql');
}
// `supabase db lint` (Supabase CLI tier) runs plpgsql_check inside the database.
if (
  hasTests('tests/supabase-cli') &&
  !existsSync('/usr/share/postgresql/15/extension/plpgsql_check.control')
) {
  console.log(
    "plpgsql_check not found: installing Debian's postgresql-15-plpgsql-check for supabase db lint.",
  );
  aptInstall('postgresql-15-plpgsql-check');
}
const needsChromium =
  hasTests('tests/marketplace', /\.e2e\.ts$/) || hasTests('packages', /\.browser\.test\.ts$/);
if (needsChromium && !existsSync('/usr/bin/chromium')) {
  console.log("Chromium not found: installing Debian's chromium for the end-to-end tier.");
  aptInstall('chromium');
}

// 2. Every Node-side tier (unit, database, components, browser), then the Worker tier inside
// workerd, then the end-to-end tier, then the SDK's tests on the machine's own Node. Each run also
// writes a JSON report so the total can be printed at the end.
const reports = join(root, '.tmp', 'test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const vitestVersion = (dir) =>
  JSON.parse(readFileSync(join(root, dir, 'node_modules/vitest/package.json'), 'utf8')).version;
function vitestArgs(name, dir, args) {
  return [
    join(root, dir, 'node_modules/vitest/vitest.mjs'),
    'run',
    ...args,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${join(reports, `${name.split(' ').slice(0, 2).join('-')}.json`)}`,
  ];
}
function vitest(name, { dir = '.', node = process.execPath, args = [] } = {}) {
  console.log(`\n▶ ${name} — Node ${nodeVersionOf(node)}, Vitest ${vitestVersion(dir)}`);
  run(node, vitestArgs(name, dir, args));
}
/**
 * A tier that mostly waits (on real minutes) run beside the others: its output goes to a log
 * printed when it is awaited; it is stopped, with every process it started, if this script ends
 * first (another tier failed).
 */
function vitestInBackground(name, { args = [] } = {}) {
  const log = join(reports, `${name.split(' ')[0]}-background.log`);
  console.log(
    `\n▶ ${name} — Node ${nodeVersionOf(process.execPath)}, Vitest ${vitestVersion('.')}, in the background (log: ${log})`,
  );
  const out = openSync(log, 'w');
  const child = spawn(process.execPath, vitestArgs(name, '.', args), {
    cwd: root,
    stdio: ['ignore', out, out],
    detached: true,
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already ended.
    }
  };
  process.on('exit', stop);
  return {
    async wait() {
      const status = await exited;
      process.off('exit', stop);
      console.log(`\n▶ ${name} (ran in the background)\n${readFileSync(log, 'utf8')}`);
      if (status !== 0) {
        console.error(`\n✖ ${name} failed (${status})`);
        process.exit(typeof status === 'number' ? status : 1);
      }
    },
  };
}

vitest('node tiers (unit, db, components, browser)');
if (hasTests('infrastructure/cloudflare-worker/test')) {
  // @cloudflare/vitest-pool-workers supports Vitest 4 only: the Worker package keeps its own.
  vitest('worker tier (inside workerd)', {
    dir: 'infrastructure/cloudflare-worker',
    args: ['--config', 'infrastructure/cloudflare-worker/vitest.config.ts'],
  });
}
// The whole-stack automation test waits on real minutes (usage is counted per minute) and does
// little in the meantime: it runs in the background beside the SDK, Supabase CLI and consumer
// tiers, after the other end-to-end files, whose timings it would disturb.
const FLEET_AUTOMATION_E2E = 'tests/marketplace/fleet-automation.e2e.ts';
let fleetAutomation;
if (hasTests('tests/marketplace', /\.e2e\.ts$/)) {
  vitest('e2e tier (Chromium)', {
    args: ['--config', 'tests/marketplace/vitest.config.ts', '--exclude', FLEET_AUTOMATION_E2E],
  });
  if (existsSync(join(root, FLEET_AUTOMATION_E2E))) {
    fleetAutomation = vitestInBackground('e2e fleet-automation tier (whole stack, real minutes)', {
      args: ['--config', 'tests/marketplace/vitest.config.ts', FLEET_AUTOMATION_E2E],
    });
  }
}
// The SDK supports Node >= 20 (apps already installed embed it): its tests also run on the machine's
// own Node. Vitest 5 needs Node 22, so this tier runs Vitest 4, tests/sdk-node20's own.
const machineNode = systemNode();
if (machineNode === undefined) {
  console.error("\n✖ No Node of the machine's own on PATH (outside node_modules): the SDK tier cannot run.");
  process.exit(1);
}
const machineVersion = nodeVersionOf(machineNode);
if (Number(machineVersion.slice(1).split('.')[0]) > 20) {
  console.log(
    `\n⚠ This machine's Node is ${machineVersion}: the SDK's floor, Node 20, is not exercised here.`,
  );
}
vitest("sdk tier (marketplace-core, marketplace-resolver on the machine's Node)", {
  dir: 'tests/sdk-node20',
  node: machineNode,
  args: ['--config', 'tests/sdk-node20/vitest.config.ts'],
});
/**
 * Installs one package from the npm registry into a folder of .tmp of its own, outside the
 * workspace and its lock file (a tool the tests run, not a dependency of the project).
 */
function installIntoTmp(dir, spec) {
  run('npm', [
    'install',
    '--prefix',
    dir,
    '--no-save',
    '--no-package-lock',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    spec,
  ]);
}

// The real Supabase CLI (npm) against a throwaway PostgreSQL 15: db push next to our runner, db lint.
// Installed on first use into .tmp rather than as a devDependency: its package pulls a binary per
// platform through optional dependencies, which a lock file written on one platform cannot list
// when the registry holds only that platform's binary (npm ci then refuses the lock).
const SUPABASE_CLI_VERSION = '2.122.1';
const supabaseCliDir = join(root, '.tmp', `supabase-cli-${SUPABASE_CLI_VERSION}`);
const supabaseCli = join(supabaseCliDir, 'node_modules', '.bin', 'supabase');
if (hasTests('tests/supabase-cli') && !existsSync(supabaseCli)) {
  console.log(
    `Supabase CLI ${SUPABASE_CLI_VERSION} not found: installing it from the npm registry into .tmp.`,
  );
  installIntoTmp(supabaseCliDir, `supabase@${SUPABASE_CLI_VERSION}`);
}
process.env.SUPABASE_CLI = supabaseCli;
vitest('supabase-cli tier (db push and db lint)', {
  args: ['--config', 'tests/supabase-cli/vitest.config.ts'],
});
// Node 24, the LTS between the machine's Node 20 and the project's, for the consumer tier's README
// snippets: the npm registry's `node` package, installed on first use into .tmp as the Supabase CLI
// is, and named to the tier by CARTAE_NODE24.
const NODE24_VERSION = '24.21.0';
const node24Dir = join(root, '.tmp', `node-${NODE24_VERSION}`);
const node24 = join(node24Dir, 'node_modules', '.bin', 'node');
if (!existsSync(node24)) {
  console.log(`Node ${NODE24_VERSION} not found: installing it from the npm registry into .tmp.`);
  installIntoTmp(node24Dir, `node@${NODE24_VERSION}`);
}
process.env.CARTAE_NODE24 = node24;
// The SDK as an app developer gets it: packed, installed outside the workspace, used from Node 20,
// Node 24 and the project's Node (ES modules and require), strict tsc, a browser bundle's budget,
// workerd, and publint and attw on the tarballs.
vitest('consumer tier (the packed SDK in a project of its own)', {
  args: ['--config', 'tests/sdk-consumer/vitest.config.ts'],
});

await fleetAutomation?.wait();

let passed = 0;
let failed = 0;
for (const file of readdirSync(reports).filter((f) => f.endsWith('.json'))) {
  const report = JSON.parse(readFileSync(join(reports, file), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}
console.log('\n✔ every test tier passed');
console.log(`${passed} passed, ${failed} failed`);
