/**
 * Worker benchmark (issue 4): GET /api/plugins served by the Cloudflare Worker running in workerd
 * next to a plain Node static server serving the same bytes, same run, same machine, same client.
 * The Worker is the bundle `wrangler deploy` would upload, run by Miniflare (workerd, local KV)
 * with no dev proxy in front, as the edge runs it; the same Worker under `wrangler dev` is reported
 * beside it (since wrangler 4.1xx its local proxy caps a loopback load at ~800 req/s).
 * Usage telemetry (issue 13): reports/s POST /api/config ingests beside the empty Worker, the
 * reports counted at the control plane after the shards' flush, and control-plane writes per
 * minute for 100 and 10,000 installs (bench/support/usage-bench.ts), measured last.
 * Run: `npm run bench` or `node --expose-gc --import tsx bench/worker.bench.ts`.
 */

import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGitHost } from '@cartae/local-git-host';
import autocannon from 'autocannon';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { freePort } from '../packages/cli/src/stack/ports.ts';
import { startWorker } from '../packages/cli/src/stack/start-worker.ts';
import { registryText } from '../tests/fixtures/registry-builder.ts';
import { bundleDeployedWorker } from './support/deployed-worker.ts';
import { type BenchFigure, writeResults } from './support/results.ts';
import { startUsageFigures } from './support/usage-bench.ts';

const PLUGINS = 1000;
const CONNECTIONS = 32;
const SECONDS = 8;
const ROUNDS = 2;

interface Load {
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** The baseline: a plain Node server with the same bytes, a strong ETag and 304 support. */
async function startStaticServer(body: Buffer): Promise<{ url: string; server: Server }> {
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
  const server = createServer((req, res) => {
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag, 'cache-control': 'public, max-age=60' });
      res.end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': body.length,
      etag,
      'cache-control': 'public, max-age=60',
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/plugins`, server };
}

async function load(url: string, headers: Record<string, string> = {}): Promise<Load> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

function best(loads: Load[]): Load {
  return loads.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
}

const figures: BenchFigure[] = [];
const body = Buffer.from(registryText({ plugins: PLUGINS }));
const git = await startGitHost({ files: { '/registry.json': body.toString('utf8') } });
const dir = await mkdtemp(join(tmpdir(), 'cartae-worker-bench-'));
// The Worker exactly as developers run it: `wrangler dev` (workerd, local KV) from wrangler.jsonc.
const repoRoot = new URL('..', import.meta.url).pathname;
const worker = await startWorker({
  repoRoot,
  host: '127.0.0.1',
  port: await freePort(),
  persistTo: join(dir, 'wrangler'),
  logFile: join(dir, 'wrangler.log'),
  vars: {
    REGISTRY_GIT_URL: `${git.url}/registry.json`,
    ALLOW_LOOPBACK_HTTP: 'true',
    CORS_ALLOWED_ORIGINS: '*',
  },
});
const workerUnderDevUrl = `${worker.url}/api/plugins`;
const staticServer = await startStaticServer(body);

// The bundle `wrangler deploy` uploads, under Miniflare: workerd and local KV, no dev proxy.
const bundleDir = join(dir, 'bundle');
bundleDeployedWorker(repoRoot, bundleDir);
const workerInWorkerd = new Miniflare(
  convertV4MiniflareOptions({
    modules: true,
    scriptPath: join(bundleDir, 'index.js'),
    modulesRoot: bundleDir,
    compatibilityDate: '2026-04-20',
    kvNamespaces: ['REGISTRY_KV'],
    bindings: {
      REGISTRY_GIT_URL: `${git.url}/registry.json`,
      ALLOW_LOOPBACK_HTTP: 'true',
      CORS_ALLOWED_ORIGINS: '*',
    },
    host: '127.0.0.1',
    port: 0,
  }),
);
const workerUrl = `${(await workerInWorkerd.ready).toString().replace(/\/$/, '')}/api/plugins`;

// The runtime's own ceiling: a Worker that does nothing but answer 304, in the same local workerd.
const emptyWorker = new Miniflare(
  convertV4MiniflareOptions({
    modules: true,
    script:
      'export default { fetch: () => new Response(null, { status: 304, headers: { etag: \'"x"\' } }) };',
    compatibilityDate: '2026-04-20',
    host: '127.0.0.1',
    port: 0,
  }),
);
const emptyWorkerUrl = (await emptyWorker.ready).toString();

// Cold start: the first request fetches Git through, stores in KV, serves. Check the bytes.
const first = await fetch(workerUrl);
const served = Buffer.from(await first.arrayBuffer());
if (first.status !== 200 || !served.equals(body)) throw new Error('the Worker did not serve the Git bytes');
const workerEtag = first.headers.get('etag') ?? '';
const underDev = await fetch(workerUnderDevUrl);
if (!Buffer.from(await underDev.arrayBuffer()).equals(body))
  throw new Error('wrangler dev did not serve the Git bytes');
const staticEtag = (await fetch(staticServer.url)).headers.get('etag') ?? '';

// Warm both, then alternate so machine noise hits both sides alike; keep each side's best round.
await load(staticServer.url);
await load(workerUrl);
const runs = {
  static200: [] as Load[],
  worker200: [] as Load[],
  static304: [] as Load[],
  worker304: [] as Load[],
  underDev200: [] as Load[],
};
const ceiling: Load[] = [];
for (let round = 0; round < ROUNDS; round++) {
  ceiling.push(await load(emptyWorkerUrl));
  runs.static200.push(await load(staticServer.url));
  runs.worker200.push(await load(workerUrl));
  runs.static304.push(await load(staticServer.url, { 'if-none-match': staticEtag }));
  runs.worker304.push(await load(workerUrl, { 'if-none-match': workerEtag }));
  runs.underDev200.push(await load(workerUnderDevUrl));
}
const [s200, w200, s304, w304] = [runs.static200, runs.worker200, runs.static304, runs.worker304].map(
  best,
) as [Load, Load, Load, Load];
const kib = (body.length / 1024).toFixed(0);
const describe = (l: Load) =>
  `p99 ${l.p99Ms} ms${l.non2xx > 0 ? `, ${l.non2xx} non-2xx` : ''}${l.errors > 0 ? `, ${l.errors} errors` : ''}`;
const megabytes = (l: Load) => ((l.requestsPerSecond * body.length) / 1e6).toFixed(0);
const setting = `${CONNECTIONS} connections, ${SECONDS} s, best of ${ROUNDS}`;

figures.push({
  name: `static Node server, 200 (${PLUGINS} plugins, ${kib} KiB)`,
  value: Math.round(s200.requestsPerSecond),
  unit: 'req/s',
  target: '(baseline)',
  pass: true,
  detail: `${describe(s200)}; ${setting}`,
});
figures.push({
  name: `Worker in workerd, 200 (${PLUGINS} plugins, ${kib} KiB)`,
  value: Math.round(w200.requestsPerSecond),
  unit: 'req/s',
  target: '(see ratio)',
  pass: w200.non2xx === 0 && w200.errors === 0,
  detail: `${describe(w200)}; ${setting}`,
});
const ratio200 = w200.requestsPerSecond / s200.requestsPerSecond;
figures.push({
  name: 'Worker / static throughput, 200 path',
  value: Math.round(ratio200 * 1000) / 1000,
  unit: '×',
  target: '≥ 0.5',
  pass: ratio200 >= 0.5,
  detail:
    `p99 ${w200.p99Ms} ms vs ${s200.p99Ms} ms; ${megabytes(w200)} vs ${megabytes(s200)} MB/s of body — ` +
    'client, servers and workerd share 2 cores, so the one-thread load generator bounds both sides',
});
figures.push({
  name: 'static Node server, 304 (If-None-Match)',
  value: Math.round(s304.requestsPerSecond),
  unit: 'req/s',
  target: '(baseline)',
  pass: true,
  detail: `p99 ${s304.p99Ms} ms; ${setting}`,
});
figures.push({
  name: 'Worker in workerd, 304 (If-None-Match)',
  value: Math.round(w304.requestsPerSecond),
  unit: 'req/s',
  target: '(context)',
  pass: w304.errors === 0,
  detail: `p99 ${w304.p99Ms} ms; ${(w304.requestsPerSecond / s304.requestsPerSecond).toFixed(2)}× the static server`,
});
const dev200 = best(runs.underDev200);
figures.push({
  name: `the same Worker under wrangler dev, 200 (${PLUGINS} plugins, ${kib} KiB)`,
  value: Math.round(dev200.requestsPerSecond),
  unit: 'req/s',
  target: '(context)',
  pass: dev200.non2xx === 0 && dev200.errors === 0,
  detail: `${describe(dev200)}; what \`npm start\` serves: wrangler dev's local proxy in front of workerd`,
});
const empty = best(ceiling);
figures.push({
  name: 'reference: an empty Worker answering 304 in the same local workerd',
  value: Math.round(empty.requestsPerSecond),
  unit: 'req/s',
  target: '(context)',
  pass: true,
  detail: `p99 ${empty.p99Ms} ms; the local runtime's own ceiling per request (Miniflare's entry + workerd)`,
});
// Each cold start mirrors the registry and its detached signature (registry.json.sig) together.
const registryFetches = git.requests.filter((r) => !r.path.endsWith('.sig')).length;
const signatureFetches = git.requests.length - registryFetches;
figures.push({
  name: 'Git requests during the whole run (KV + isolate memory hold the registry)',
  value: git.requests.length,
  unit: 'requests',
  target: '2 registry + 2 signature (one cold start per Worker)',
  pass: registryFetches === 2 && signatureFetches <= 2,
  detail: `${registryFetches} registry.json, ${signatureFetches} registry.json.sig`,
});

// Usage telemetry last, on Workers of its own, with only the empty Worker left running beside
// them, so their workerd processes and flushes cannot disturb the measures above.
await worker.stop();
await workerInWorkerd.dispose();
const usage = await startUsageFigures({ bundleDir, emptyWorkerUrl });
figures.push(...(await usage.finish()));

await emptyWorker.dispose();
await new Promise((resolve) => staticServer.server.close(resolve));
await git.close();
await rm(dir, { recursive: true, force: true });
await writeResults('worker', 'Worker benchmarks', figures);
process.exit(0);
