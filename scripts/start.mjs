#!/usr/bin/env node
// `npm start`: installs the locked node modules (and the project's Node) when a fresh clone has
// none, then runs `cartae-marketplace up` on the project's Node with any extra arguments
// (`npm start -- --git-rate-limit 60/min`).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureModules, projectNodePath, projectPath, root } from './project-runtime.mjs';

ensureModules();
const child = spawn(
  projectNodePath,
  [join(root, 'packages/cli/bin/cartae-marketplace.mjs'), 'up', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, PATH: projectPath() } },
);
// Ctrl-C reaches the child through the terminal's process group: wait for its clean-up rather
// than exiting first. Forward a SIGTERM aimed at this process only.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
