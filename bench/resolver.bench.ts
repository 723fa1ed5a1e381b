/**
 * Resolver benchmarks (issue: foundation and resolver SDK). Run: `npm run bench` or
 * `node --expose-gc --import tsx bench/resolver.bench.ts [group]`.
 *
 * Each group runs in a process of its own, so one group's heap, timers and deferred work never
 * land in another's figures.
 */

import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startGitHost } from '@cartae/local-git-host';
import {
  createMarketplaceSourceResolver,
  createMemoryStorage,
  silentLogger,
} from '@cartae/marketplace-resolver';
import { createFileStorage } from '@cartae/marketplace-resolver/node';
import { realRegistryText } from '../tests/fixtures/real-registry.ts';
import { registryText } from '../tests/fixtures/registry-builder.ts';
import { type BenchFigure, median, writeResults } from './support/results.ts';
import { startStaticSource } from './support/static-source.ts';

const figures: BenchFigure[] = [];
const policy = { allowLoopbackHttp: true };

async function resolveUrlThroughput(): Promise<void> {
  const git = await startGitHost({ files: { '/registry.json': registryText() } });
  const resolver = createMarketplaceSourceResolver({
    urlPolicy: policy,
    defaultConfig: { type: 'git', gitUrl: `${git.url}/registry.json`, cloudflareUrl: 'https://cdn.example' },
    platform: { logger: silentLogger },
    autoRefresh: false,
  });
  await resolver.resolveUrl('api/plugins');
  const constant = async (_path: string) => 'https://cdn.example/api/plugins';
  const N = 2_000_000;
  const measure = async (fn: (p: string) => Promise<string>) => {
    let sink = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < N; i++) sink += (await fn('api/plugins')).length;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (sink === 0) throw new Error('unreachable');
    return N / seconds;
  };
  // Warm both, then alternate runs and keep the best of three of each.
  await measure(constant);
  await measure((p) => resolver.resolveUrl(p));
  const base: number[] = [];
  const ours: number[] = [];
  for (let round = 0; round < 3; round++) {
    base.push(await measure(constant));
    ours.push(await measure((p) => resolver.resolveUrl(p)));
  }
  const best = Math.max(...ours);
  const baseline = Math.max(...base);
  figures.push({
    name: 'resolveUrl, warm config',
    value: Math.round(best),
    unit: 'calls/s',
    target: '≥ 2,000,000 calls/s',
    pass: best >= 2_000_000,
  });
  figures.push({
    name: 'resolveUrl vs async constant',
    value: Math.round((baseline / best) * 100) / 100,
    unit: '× slower',
    target: '≤ 2×',
    pass: baseline / best <= 2,
    detail: `async constant: ${Math.round(baseline).toLocaleString('en-US')} calls/s`,
  });
  resolver.dispose();
  await git.close();
}

/** Median time of `count` requests of each kind, interleaved so drift hits every kind alike. */
async function interleaved<K extends string>(
  kinds: Record<K, () => Promise<Response>>,
  count: number,
): Promise<Record<K, number>> {
  const time = async (fn: () => Promise<Response>) => {
    const start = performance.now();
    await (await fn()).text();
    return performance.now() - start;
  };
  const runs = (Object.entries(kinds) as [K, () => Promise<Response>][]).map(([name, fn]) => ({
    name,
    fn,
    samples: [] as number[],
  }));
  for (let i = 0; i < 300; i++) for (const run of runs) await time(run.fn);
  for (let i = 0; i < count; i++) for (const run of runs) run.samples.push(await time(run.fn));
  return Object.fromEntries(runs.map((run) => [run.name, median(run.samples)])) as Record<K, number>;
}

/**
 * fetch() through the resolver against plain fetch of the same loopback URL. The target figure
 * has the source in a process of its own, as every real source is; the same measure with the
 * source on the client's own thread (its work and garbage charged to whichever request is
 * running) is reported beside it.
 */
async function fetchOverhead(plugins: number): Promise<void> {
  const body = registryText({ plugins });
  const size = `${plugins}-plugin registry, ${(Buffer.byteLength(body) / 1024).toFixed(0)} KiB`;
  const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
  for (const placement of ['own process', 'same thread'] as const) {
    const source = await startStaticSource(body, placement);
    const resolver = createMarketplaceSourceResolver({
      urlPolicy: policy,
      defaultConfig: { type: 'git', gitUrl: source.url, cloudflareUrl: 'https://cdn.example' },
      platform: { logger: silentLogger },
      autoRefresh: false,
    });
    const m = await interleaved(
      {
        plain: () => fetch(source.url),
        timeout: () => fetch(source.url, { signal: AbortSignal.timeout(8000) }),
        signal: () => fetch(source.url, { signal: new AbortController().signal }),
        ours: () => resolver.fetch('api/plugins'),
      },
      3000,
    );
    const overall = ratio(m.ours, m.plain);
    if (placement === 'own process') {
      figures.push({
        name: `reference: plain fetch given any AbortSignal vs plain fetch (${plugins} plugins)`,
        value: ratio(m.signal, m.plain),
        unit: '× median',
        target: '(context)',
        pass: true,
        detail: 'what undici charges for a signal at all — a per-attempt timeout cannot avoid it',
      });
      figures.push({
        name: `reference: plain fetch with an AbortSignal.timeout vs plain fetch (${plugins} plugins)`,
        value: ratio(m.timeout, m.plain),
        unit: '× median',
        target: '(context)',
        pass: true,
        detail: "a per-attempt timeout the usual way, this Node's undici",
      });
      figures.push({
        name: `fetch() through the resolver vs plain fetch given a signal (${plugins} plugins)`,
        value: ratio(m.ours, m.signal),
        unit: '× median',
        target: '(context)',
        pass: true,
        detail: "the resolver's own cost: selection, deadline, headers, stats, health",
      });
      figures.push({
        name: `fetch() through the resolver vs plain fetch (${size})`,
        value: overall,
        unit: '× median',
        target: '≤ 1.10',
        pass: overall <= 1.1,
        detail: `median ${m.ours.toFixed(3)} ms vs ${m.plain.toFixed(3)} ms, 3,000 requests each, loopback source in its own process`,
      });
    } else {
      figures.push({
        name: `same, source on the client's own thread (${size})`,
        value: overall,
        unit: '× median',
        target: '(context)',
        pass: true,
        detail: `median ${m.ours.toFixed(3)} ms vs ${m.plain.toFixed(3)} ms`,
      });
    }
    resolver.dispose();
    await source.close();
  }
}

/**
 * fetch() through resolvers alike but for telemetry: all read their config from an edge endpoint
 * (`configUrl`, where telemetry is on by default), half with `telemetry: false`. What telemetry
 * adds to a request is its counting (the report rides on background config polls, none of which
 * falls inside the run). Interleaved in the order off, on, on, off, so drift and each request's
 * place in the round hit both alike; the two resolvers without telemetry against each other give
 * the noise floor.
 */
async function fetchTelemetryOverhead(plugins: number): Promise<void> {
  const body = registryText({ plugins });
  const size = `${plugins}-plugin registry, ${(Buffer.byteLength(body) / 1024).toFixed(0)} KiB`;
  const source = await startStaticSource(body, 'own process');
  const config = JSON.stringify({
    config: { type: 'git', gitUrl: source.url, cloudflareUrl: 'https://cdn.example' },
    version: 1,
  });
  const edge = await startGitHost({ files: { '/api/config': config } });
  const resolverWith = (telemetry: boolean) =>
    createMarketplaceSourceResolver({
      configUrl: `${edge.url}/api/config`,
      telemetry,
      urlPolicy: policy,
      platform: { logger: silentLogger, storage: createMemoryStorage() },
      autoRefresh: false,
    });
  const resolvers = [resolverWith(false), resolverWith(true), resolverWith(true), resolverWith(false)];
  for (const resolver of resolvers) {
    if ((await resolver.getConfig()).version !== 1) throw new Error('config endpoint not read');
  }
  const [offA, onA, onB, offB] = resolvers as [
    (typeof resolvers)[0],
    (typeof resolvers)[0],
    (typeof resolvers)[0],
    (typeof resolvers)[0],
  ];
  const m = await interleaved(
    {
      plain: () => fetch(source.url),
      offA: () => offA.fetch('api/plugins'),
      onA: () => onA.fetch('api/plugins'),
      onB: () => onB.fetch('api/plugins'),
      offB: () => offB.fetch('api/plugins'),
    },
    3000,
  );
  const on = (m.onA + m.onB) / 2;
  const off = (m.offA + m.offB) / 2;
  const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
  figures.push({
    name: `fetch() overhead with telemetry on vs off (${size})`,
    value: ratio(on, off),
    unit: '× median',
    target: '≤ 1.02',
    pass: ratio(on, off) <= 1.02,
    detail:
      `median ${on.toFixed(3)} ms on vs ${off.toFixed(3)} ms off (plain fetch ${m.plain.toFixed(3)} ms), ` +
      '2 × 3,000 requests each, loopback source in its own process',
  });
  figures.push({
    name: `reference: telemetry off vs off, two resolvers alike (${size})`,
    value: ratio(Math.max(m.offA, m.offB), Math.min(m.offA, m.offB)),
    unit: '× median',
    target: '(context)',
    pass: true,
    detail: 'the noise floor of the line above',
  });
  for (const resolver of resolvers) resolver.dispose();
  await edge.close();
  await source.close();
}

async function failover(): Promise<void> {
  const text = registryText({ plugins: 100 });
  const run = async (gitRateLimited: boolean) => {
    const git = await startGitHost({ files: { '/registry.json': text } });
    const cdn = await startGitHost({ files: { '/api/plugins': text } });
    if (gitRateLimited) git.setBehaviour('/registry.json', { kind: 'rate-limited', retryAfterSeconds: 60 });
    const resolver = createMarketplaceSourceResolver({
      urlPolicy: policy,
      defaultConfig: gitRateLimited
        ? { type: 'git', gitUrl: `${git.url}/registry.json`, cloudflareUrl: cdn.url }
        : { type: 'cloudflare', priority: ['cloudflare'], cloudflareUrl: cdn.url, fallbackOnError: false },
      platform: { logger: silentLogger },
      autoRefresh: false,
    });
    const latencies: number[] = [];
    let failed = 0;
    const started = Date.now();
    for (let i = 0; i < 10_000; i++) {
      const t = performance.now();
      const result = await resolver.getRegistry();
      latencies.push(performance.now() - t);
      if (!result.ok || result.stale) failed++;
    }
    const elapsed = Date.now() - started;
    const gitCalls = git.requests.length;
    resolver.dispose();
    await Promise.all([git.close(), cdn.close()]);
    return { median: median(latencies), failed, gitCalls, elapsed };
  };
  await run(false); // warm-up
  const healthy = await run(false);
  const limited = await run(true);
  figures.push({
    name: 'failover: failed getRegistry() calls (Git 429, 10,000 calls)',
    value: limited.failed,
    unit: 'calls',
    target: '0',
    pass: limited.failed === 0,
  });
  figures.push({
    name: 'failover: requests sent to Git inside the 60 s retry window',
    value: limited.gitCalls,
    unit: 'requests',
    target: 'exactly 1',
    pass: limited.gitCalls === 1 && limited.elapsed < 60_000,
    detail: `run took ${(limited.elapsed / 1000).toFixed(1)} s`,
  });
  const ratio = limited.median / healthy.median;
  figures.push({
    name: 'failover: median latency vs healthy CDN only',
    value: Math.round(ratio * 1000) / 1000,
    unit: '×',
    target: '≤ 1.2×',
    pass: ratio <= 1.2,
    detail: `${limited.median.toFixed(3)} ms vs ${healthy.median.toFixed(3)} ms`,
  });
}

async function memory(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    figures.push({
      name: 'memory: retained heap / registry JSON size',
      value: Number.NaN,
      unit: '',
      target: '< 2×',
      pass: false,
      detail: 'run with node --expose-gc',
    });
    return;
  }
  const sample = registryText({ plugins: 5000 });
  const real = await realRegistryText();
  const git = await startGitHost({
    files: {
      '/sample.json': sample,
      '/real.json': real,
      '/warm-up.json': registryText({ plugins: 50, version: 2 }),
    },
  });
  const dir = await mkdtemp(join(tmpdir(), 'cartae-bench-'));
  const settle = async () => {
    for (let i = 0; i < 5; i++) {
      gc();
      await new Promise((r) => setTimeout(r, 20));
    }
    const { heapUsed, external } = process.memoryUsage();
    return { heap: heapUsed, external };
  };
  /**
   * Memory a resolver retains once it holds `file`'s registry, with the storage `kind` names. Each
   * measure warms the runtime through the same path first (fetch, parsing, validation, storage),
   * so the figure is what a resolver holds, not the one-time cost of loading the code it calls.
   */
  const retained = async (file: 'sample' | 'real', kind: 'file' | 'default' | 'memory') => {
    const resolverOn = (path: string, folder: string) => {
      // The default storage on Node keeps its files in the folder this variable names.
      process.env.CARTAE_MARKETPLACE_STATE_DIR = join(dir, folder);
      const storage = {
        file: createFileStorage(join(dir, folder)),
        default: undefined,
        memory: createMemoryStorage(),
      }[kind];
      return createMarketplaceSourceResolver({
        urlPolicy: policy,
        defaultConfig: { type: 'git', gitUrl: `${git.url}${path}`, cloudflareUrl: 'https://cdn.example' },
        platform: { logger: silentLogger, ...(storage ? { storage } : {}) },
        autoRefresh: false,
      });
    };
    const warmUp = resolverOn('/warm-up.json', `${file}-${kind}-warm-up`);
    if (!(await warmUp.getRegistry()).ok) throw new Error('warm-up registry not loaded');
    warmUp.dispose();
    // The in-process Git host encodes a file on its first request and keeps the bytes: read the
    // file once first, so that buffer is in the baseline and not counted as the resolver's.
    await (await fetch(`${git.url}/${file}.json`, { headers: { 'accept-encoding': 'gzip' } })).arrayBuffer();
    const before = await settle();
    const resolver = resolverOn(`/${file}.json`, `${file}-${kind}`);
    const result = await resolver.getRegistry();
    if (!result.ok || result.registry.plugins.length < 5000) throw new Error('registry not loaded');
    const after = await settle();
    // Keep the resolver reachable until measured.
    resolver.getStats();
    resolver.dispose();
    // Node keeps large strings it decodes (a response's text) outside the heap: count them too.
    return { heap: after.heap - before.heap, external: after.external - before.external };
  };
  const line = (
    name: string,
    file: 'sample' | 'real',
    bytes: number,
    held: { heap: number; external: number },
    target?: string,
  ) => {
    const ratio = (held.heap + held.external) / bytes;
    const mib = (n: number) => (n / 1024 / 1024).toFixed(2);
    figures.push({
      name,
      value: Math.round(ratio * 100) / 100,
      unit: '× JSON size',
      target: target ?? '< 2×',
      pass: target !== undefined || ratio < 2,
      detail:
        `${mib(held.heap)} MiB heap + ${mib(held.external)} MiB outside it (external strings) retained ` +
        `for ${mib(bytes)} MiB of JSON${file === 'real' ? ' (6,858 real plugins, compact)' : ''}`,
    });
  };
  const sampleBytes = Buffer.byteLength(sample);
  const realBytes = Buffer.byteLength(real);
  line(
    'memory: warm resolver holding a 5,000-plugin registry (file storage)',
    'sample',
    sampleBytes,
    await retained('sample', 'file'),
  );
  line(
    'memory: warm resolver holding the real registry, default storage on Node',
    'real',
    realBytes,
    await retained('real', 'default'),
  );
  line(
    'memory: same, memory storage chosen explicitly (opt-out)',
    'real',
    realBytes,
    await retained('real', 'memory'),
    '(context)',
  );
  await git.close();
  await rm(dir, { recursive: true, force: true });
}

const groups: Record<string, () => Promise<void>> = {
  'resolve-url': resolveUrlThroughput,
  'fetch-50': () => fetchOverhead(50),
  'fetch-1000': () => fetchOverhead(1000),
  'fetch-telemetry': () => fetchTelemetryOverhead(50),
  failover,
  memory,
};

const group = process.argv[2];
if (group !== undefined) {
  const run = groups[group];
  if (!run) throw new Error(`unknown group ${group}; one of ${Object.keys(groups).join(', ')}`);
  await run();
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  process.exit(0);
}
for (const name of Object.keys(groups)) {
  console.error(`  resolver: ${name}…`);
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`group ${name} exited with ${child.status ?? child.signal}`);
  const lines = child.stdout.trim().split('\n');
  figures.push(...(JSON.parse(lines[lines.length - 1] as string) as BenchFigure[]));
}
await writeResults('resolver', 'Resolver benchmarks', figures);
process.exit(0);
