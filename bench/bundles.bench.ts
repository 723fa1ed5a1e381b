/**
 * What the code weighs where it ships: the minimal browser app an app developer writes with the
 * SDK (the resolver README's usage snippets, bundled by esbuild from the SDK's published build),
 * the Worker's upload as `wrangler deploy --dry-run` reports it, and the admin page's chunks
 * (the statistics and charts must stay out of the first one).
 * Run: `npm run bench -- bundles` or `node --conditions=@cartae/source --import tsx bench/bundles.bench.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build as esbuild, type Metafile } from 'esbuild';
import { build as viteBuild } from 'vite';
import { APP_FUNCTIONS, readmeUsageSnippets } from '../tests/sdk-consumer/support/readme-snippets.ts';
import { type BenchFigure, writeResults } from './support/results.ts';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'cartae-bundles-'));
const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;
const gzipBytes = (code: Uint8Array | string) => gzipSync(code, { level: 9 }).length;

/** Minified bytes per origin (zod, core, resolver, the app itself) from esbuild's metafile. */
function byOrigin(metafile: Metafile): string {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const origin = /node_modules\/zod\//.test(path)
        ? 'zod'
        : /marketplace-core/.test(path)
          ? 'core'
          : /marketplace-resolver/.test(path)
            ? 'resolver'
            : 'app';
      totals.set(origin, (totals.get(origin) ?? 0) + input.bytesInOutput);
    }
  }
  return [...totals].map(([origin, bytes]) => `${origin} ${kb(bytes)} KiB`).join(', ');
}

async function browserApp(): Promise<BenchFigure[]> {
  // The published build, as npm users get it (no `@cartae/source` condition below).
  execFileSync(
    'npm',
    ['run', 'build', '-w', '@cartae/marketplace-core', '-w', '@cartae/marketplace-resolver'],
    {
      cwd: root,
      stdio: 'ignore',
    },
  );
  const entry = join(work, 'app.mjs');
  writeFileSync(
    entry,
    `${APP_FUNCTIONS}\n${readmeUsageSnippets().esm.join('\n')}\nconsole.log(url, stats);\n`,
  );
  const result = await esbuild({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    nodePaths: [join(root, 'node_modules')],
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const gzip = gzipBytes(code);
  return [
    {
      name: 'minimal browser app (resolver README usage), esbuild --minify',
      value: kb(code.length),
      unit: 'KiB',
      target: '(context)',
      pass: true,
      detail: byOrigin(result.metafile),
    },
    {
      name: 'minimal browser app, gzip -9',
      value: kb(gzip),
      unit: 'KiB',
      target: '≤ 40 KiB',
      pass: gzip <= 40 * 1024,
      detail:
        'core now uses zod/mini; with the classic API it was 50.8 KiB (`import * as z`) and 106 KB when the issue was filed (`import { z }`)',
    },
  ];
}

function workerUpload(): BenchFigure[] {
  const out = execFileSync(
    join(root, 'node_modules/.bin/wrangler'),
    ['deploy', '--dry-run', '--outdir', join(work, 'worker')],
    { cwd: join(root, 'infrastructure/cloudflare-worker'), encoding: 'utf8' },
  );
  const match = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(out);
  if (!match) throw new Error(`wrangler deploy --dry-run printed no "Total Upload" line:\n${out}`);
  const gzip = Number(match[2]);
  return [
    {
      name: 'Worker upload (wrangler deploy --dry-run), gzip',
      value: gzip,
      unit: 'KiB',
      target: '≤ 64 KiB',
      pass: gzip <= 64,
      detail: `${match[1]} KiB before gzip; with zod's classic API 131.9 KiB gzip (\`import { z }\`), 64.9 KiB (\`import * as z\`); the Workers free plan allows 3 MiB`,
    },
  ];
}

async function adminChunks(): Promise<BenchFigure[]> {
  const outDir = join(work, 'admin');
  await viteBuild({
    configFile: join(root, 'apps/admin/vite.config.ts'),
    build: { outDir, emptyOutDir: true },
    logLevel: 'silent',
  });
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const entry = /<script[^>]+src="\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
  if (entry === undefined) throw new Error('the admin build has no entry script in index.html');
  const chunks = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js'));
  const size = (file: string) => readFileSync(join(outDir, 'assets', file));
  const main = size(entry.replace('assets/', ''));
  const lazy = chunks
    .filter((f) => `assets/${f}` !== entry)
    .map((f) => `${f.replace(/-[\w-]{8}\.js$/, '')} ${kb(size(f).length)} KiB`);
  return [
    {
      name: 'admin page, first chunk (vite build)',
      value: kb(main.length),
      unit: 'KiB',
      target: '≤ 320 KiB (charts lazy)',
      pass: main.length <= 320 * 1024,
      detail: `${kb(gzipBytes(main))} KiB gzip; loaded later: ${lazy.join(', ')}; 735 KB when recharts was in it`,
    },
  ];
}

const figures = [...(await browserApp()), ...workerUpload(), ...(await adminChunks())];
await writeResults('bundle-sizes', 'Bundle sizes', figures);
