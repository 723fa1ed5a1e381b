import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, inject, it } from 'vitest';
import { repoRoot, SDK_PACKAGES } from './support/consumer-project.ts';
import { NODE24_ENV, nodeRuntimes, versionOf } from './support/node-runtimes.ts';
import { APP_FUNCTIONS, readmeUsageSnippets } from './support/readme-snippets.ts';

/** The minimal browser app (the README's snippets) must stay within this, gzipped. */
const BROWSER_BUDGET_BYTES = 40 * 1024;

const { nodes, missing } = nodeRuntimes();
const project = inject('consumerProject');
const snippets = readmeUsageSnippets();

function runNode(node: string, file: string): { url: string; rendered?: unknown; requests: string[] } {
  const r = spawnSync(node, ['--import', './fake-network.mjs', file], {
    cwd: project.app,
    encoding: 'utf8',
    env: { ...process.env, CARTAE_MARKETPLACE_STATE_DIR: join(project.dir, 'state') },
    timeout: 30_000,
  });
  expect(r.stderr, `${node} ${file} wrote to stderr`).not.toMatch(/Error|ERR_/);
  expect(r.status, r.stderr).toBe(0);
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last);
}

describe('the packed SDK', () => {
  it.each(SDK_PACKAGES)('%s holds only the build, declarations, README, LICENSE and CHANGELOG', (name) => {
    const listing = execFileSync('tar', ['-tzf', join(project.dir, 'packs', project.tarballs[name])], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .map((f) => f.replace(/^package\//, ''));
    const unexpected = listing.filter(
      (f) =>
        !/^dist\/(esm|cjs)\/.+\.(js|d\.ts)$/.test(f) &&
        !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/cjs/package.json'].includes(f),
    );
    expect(unexpected).toEqual([]);
    expect(listing).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md']));
    expect(listing.filter((f) => /\.test\./.test(f) || f.startsWith('src/'))).toEqual([]);
  });

  it('installs with zod and nothing else: no supabase-js, no ws', () => {
    const installed = readdirSync(join(project.app, 'node_modules')).filter((d) => !d.startsWith('.'));
    expect(installed.sort()).toEqual(['@cartae', 'zod']);
  });
});

describe('the Nodes the SDK supports', () => {
  // A supported Node this run cannot reach is said, never passed over: a todo by hand, a failure in CI.
  for (const reason of missing) {
    if (process.env.CI) {
      it(`runs the README on ${reason}`, () => expect.fail(`not run on ${reason}`));
    } else {
      it.todo(`not run on ${reason}`);
    }
  }
  if (process.env[NODE24_ENV]) {
    it(`${NODE24_ENV} names a Node 24`, () => {
      expect(versionOf(process.env[NODE24_ENV] ?? '')).toMatch(/^v24\./);
    });
  }
});

describe.each(nodes)('the README on $label', ({ path }) => {
  it('runs the ES module snippets as written', () => {
    const file = 'readme-usage.mjs';
    writeFileSync(
      join(project.app, file),
      `${APP_FUNCTIONS}\n${snippets.esm.join('\n')}\n` +
        'console.log(JSON.stringify({ url, stats, rendered: globalThis.rendered, requests: globalThis.fakeNetworkRequests }));\nprocess.exit(0);\n',
    );
    const out = runNode(path, file);
    expect(out.url).toBe('https://marketplace.cartae.com/api/plugins');
    expect(out.rendered).toMatchObject({ plugins: ['kanban'], source: 'cloudflare', stale: false });
    expect(out.requests).toContain('GET https://marketplace.cartae.com/api/config');
  });

  it('runs the CommonJS snippet as written (require)', () => {
    expect(snippets.cjs).toHaveLength(1);
    const file = 'readme-require.cjs';
    writeFileSync(
      join(project.app, file),
      `${snippets.cjs.join('\n')}\nresolver.resolveUrl('api/plugins').then((url) => { console.log(JSON.stringify({ url, requests: globalThis.fakeNetworkRequests })); process.exit(0); });\n`,
    );
    expect(runNode(path, file).url).toBe('https://marketplace.cartae.com/api/plugins');
  });
});

describe('strict TypeScript in the consumer project', () => {
  const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
  const base = {
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
    noEmit: true,
    target: 'es2022',
    lib: ['es2023', 'dom'],
    types: [],
  };
  it.each([
    {
      name: 'node16',
      compilerOptions: { module: 'node16', moduleResolution: 'node16' },
      files: ['src/app.mts', 'src/app.cts'],
    },
    {
      name: 'bundler',
      compilerOptions: { module: 'preserve', moduleResolution: 'bundler' },
      files: ['src/app.mts'],
    },
  ])('type-checks with $name resolution', ({ name, compilerOptions, files }) => {
    const config = `tsconfig.${name}.json`;
    writeFileSync(
      join(project.app, config),
      JSON.stringify({ compilerOptions: { ...base, ...compilerOptions }, files }, null, 2),
    );
    const r = spawnSync(process.execPath, [tsc, '-p', config], { cwd: project.app, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('a browser bundle of the README', () => {
  it(`stays within ${BROWSER_BUDGET_BYTES / 1024} KB gzip and pulls in no Node built-in`, async () => {
    const entry = join(project.app, 'readme-browser.mjs');
    writeFileSync(entry, `${APP_FUNCTIONS}\n${snippets.esm.join('\n')}\nconsole.log(url, stats);\n`);
    const result = await build({
      entryPoints: [entry],
      absWorkingDir: project.app,
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    const gzip = gzipSync(code, { level: 9 }).length;
    expect(new TextDecoder().decode(code)).not.toMatch(/from\s*"node:|require\("node:/);
    expect(gzip).toBeLessThanOrEqual(BROWSER_BUDGET_BYTES);
  });
});
