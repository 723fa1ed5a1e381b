#!/usr/bin/env node
// Builds the SDK package in the current folder (`npm run build` there; `npm pack` runs it first):
// ES modules in dist/esm and CommonJS in dist/cjs, each with its declarations, from src/ without
// the tests (tsconfig.build.json). The CommonJS folder says so in a package.json of its own, so
// Node and TypeScript read its .js and .d.ts files as CommonJS.
// The workspace never runs these files: its tools resolve the `@cartae/source` export condition
// to src/ (see the package's `exports`).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');

function compile(extra) {
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', ...extra], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

rmSync('dist', { recursive: true, force: true });
compile(['--outDir', 'dist/esm']);
// verbatimModuleSyntax forbids `import` in a CommonJS output; plain elision of type-only imports is right here.
compile(['--outDir', 'dist/cjs', '--module', 'commonjs', '--verbatimModuleSyntax', 'false']);
mkdirSync('dist/cjs', { recursive: true });
writeFileSync('dist/cjs/package.json', `${JSON.stringify({ type: 'commonjs' })}\n`);
