#!/usr/bin/env node
// `npm start`: installs the locked node modules when a fresh clone has none, then runs
// `cartae-marketplace up` with any extra arguments (`npm start -- --git-rate-limit 60/min`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
if (!existsSync(join(root, 'node_modules/.bin/tsx'))) {
  console.log('First run: installing node modules (npm ci)…');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const child = spawn(
  process.execPath,
  [join(root, 'packages/cli/bin/cartae-marketplace.mjs'), 'up', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
// Ctrl-C reaches the child through the terminal's process group: wait for its clean-up rather
// than exiting first. Forward a SIGTERM aimed at this process only.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
