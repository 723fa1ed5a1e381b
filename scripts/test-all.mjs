#!/usr/bin/env node
// Runs every test tier. Installs what is missing first: node modules, and Debian's
// postgresql (database tier) and chromium (end-to-end tier) when absent.
// Uses only Node built-ins, because node_modules may not exist yet.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function run(cmd, args, opts = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    console.error(`\n✖ "${cmd} ${args.join(' ')}" failed with exit code ${r.status ?? r.signal}`);
    process.exit(r.status ?? 1);
  }
}

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

// 1. Node modules, exactly as locked.
if (!existsSync(join(root, 'node_modules/.bin/vitest'))) {
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

// 2. Debian packages for the tiers that exist.
if (hasTests('supabase/tests') && !existsSync('/usr/lib/postgresql/15/bin/initdb')) {
  console.log("PostgreSQL 15 server not found: installing Debian's postgresql for the database tier.");
  aptInstall('postgresql');
}
const needsChromium =
  hasTests('tests/marketplace', /\.e2e\.ts$/) || hasTests('packages', /\.browser\.test\.ts$/);
if (needsChromium && !existsSync('/usr/bin/chromium')) {
  console.log("Chromium not found: installing Debian's chromium for the end-to-end tier.");
  aptInstall('chromium');
}

// 3. Every Node-side tier (unit, database), then the Worker tier inside workerd, then the
// end-to-end tier. Each run also writes a JSON report so the total can be printed at the end.
const reports = join(root, '.tmp', 'test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const vitest = (name, extra = []) =>
  run('npx', [
    'vitest',
    'run',
    ...extra,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${join(reports, `${name}.json`)}`,
  ]);

vitest('node');
if (hasTests('infrastructure/cloudflare-worker/test')) {
  vitest('worker', ['--config', 'infrastructure/cloudflare-worker/vitest.config.ts']);
}
if (hasTests('tests/marketplace', /\.e2e\.ts$/)) {
  vitest('e2e', ['--config', 'tests/marketplace/vitest.config.ts']);
}

let passed = 0;
let failed = 0;
for (const file of readdirSync(reports)) {
  const report = JSON.parse(readFileSync(join(reports, file), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}
console.log('\n✔ every test tier passed');
console.log(`${passed} passed, ${failed} failed`);
