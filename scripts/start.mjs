#!/usr/bin/env node
// `npm start`: installs the locked node modules (and the project's Node) when a fresh clone has
// none, then runs `cartae-marketplace up` on the project's Node with any extra arguments
// (`npm start -- --git-rate-limit 60/min`).
import { join } from 'node:path';
import {
  ensureModules,
  projectNodePath,
  projectPath,
  root,
  runForwardingSignals,
} from './project-runtime.mjs';

ensureModules();
// Passes on SIGINT, SIGTERM and SIGHUP (and a vanished npm) to `up`, which stops everything it
// started, and ends as `up` does.
runForwardingSignals(
  projectNodePath,
  [join(root, 'packages/cli/bin/cartae-marketplace.mjs'), 'up', ...process.argv.slice(2)],
  { cwd: root, env: { ...process.env, PATH: projectPath() } },
);
