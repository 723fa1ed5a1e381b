#!/usr/bin/env node
// Runs every benchmark in bench/*.bench.ts, one process each, and leaves results
// (JSON + markdown) in bench/results/. A failing benchmark does not stop the others. The workspace
// packages run from their sources (`--conditions=@cartae/source`, see scripts/source-conditions.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, useProjectRuntime } from './project-runtime.mjs';

useProjectRuntime(new URL(import.meta.url).pathname);
// The resolver's default storage on Node: a folder of the run's own, never the user's state folder.
process.env.CARTAE_MARKETPLACE_STATE_DIR ??= mkdtempSync(join(tmpdir(), 'cartae-marketplace-bench-'));
const only = process.argv.slice(2);
const benches = readdirSync(`${root}/bench`)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n▶ bench/${file}`);
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', '--conditions=@cartae/source', '--import', 'tsx', `bench/${file}`],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) {
    failed++;
    console.error(`✖ bench/${file} exited with ${r.status ?? r.signal}`);
  }
}
console.log(
  `\n${benches.length - failed} benchmark file(s) ran, ${failed} failed; results in bench/results/`,
);
process.exit(failed === 0 ? 0 : 1);
