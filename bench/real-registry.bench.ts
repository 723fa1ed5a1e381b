/**
 * The registry at real size, and what the one judgement of every answer costs and saves (issue 12).
 * - Cold `getRegistry()` of the real registry (6,858 plugins, /work/shared/data) against `fetch` +
 *   `JSON.parse` of the same bytes from the same loopback source, in a process of its own.
 * - A source answering 200 with a body `getRegistry()` refuses against one answering 500, under the
 *   same ejection policy (scaled down 300×, so 2.5 s stand for 12.5 min of an app's life).
 * Run: `npm run bench -- real-registry` or `node --expose-gc --import tsx bench/real-registry.bench.ts`.
 */

import { startGitHost } from '@cartae/local-git-host';
import {
  createMarketplaceSourceResolver,
  createMemoryStorage,
  silentLogger,
} from '@cartae/marketplace-resolver';
import { realRegistryText } from '../tests/fixtures/real-registry.ts';
import { registryText } from '../tests/fixtures/registry-builder.ts';
import { type BenchFigure, median, writeResults } from './support/results.ts';
import { startStaticSource } from './support/static-source.ts';

const figures: BenchFigure[] = [];
const policy = { allowLoopbackHttp: true };

async function coldGetRegistry(): Promise<void> {
  const text = await realRegistryText();
  const source = await startStaticSource(text, 'own process');
  const plain = async () => {
    const started = performance.now();
    const response = await fetch(source.url);
    const parsed = JSON.parse(await response.text()) as { plugins: unknown[] };
    if (parsed.plugins.length !== 6858) throw new Error('unexpected registry');
    return performance.now() - started;
  };
  const cold = async () => {
    const resolver = createMarketplaceSourceResolver({
      urlPolicy: policy,
      defaultConfig: { type: 'git', gitUrl: source.url, cloudflareUrl: 'https://cdn.example' },
      platform: { storage: createMemoryStorage(), logger: silentLogger },
      autoRefresh: false,
      probes: false,
    });
    const started = performance.now();
    const result = await resolver.getRegistry();
    const ms = performance.now() - started;
    resolver.dispose();
    if (!result.ok || result.registry.plugins.length !== 6858) throw new Error('getRegistry failed');
    return ms;
  };
  // Warm both paths, then alternate so machine noise hits both alike.
  for (let i = 0; i < 3; i++) {
    await plain();
    await cold();
  }
  const plainMs: number[] = [];
  const coldMs: number[] = [];
  for (let round = 0; round < 15; round++) {
    plainMs.push(await plain());
    coldMs.push(await cold());
  }
  await source.close();
  const ratio = median(coldMs) / median(plainMs);
  figures.push({
    name: 'cold getRegistry() of the real registry vs fetch + JSON.parse (6,858 plugins)',
    value: Math.round(ratio * 100) / 100,
    unit: '× median',
    target: '≤ 2×',
    pass: ratio <= 2,
    detail: `median ${median(coldMs).toFixed(1)} ms vs ${median(plainMs).toFixed(1)} ms, 15 each, ${(text.length / 2 ** 20).toFixed(2)} MiB from a source in its own process; getRegistry adds schema, URL policy and expiry checks`,
  });
}

/** Requests Git receives while an app reads the registry every 50 ms for 2.5 s. */
async function requestsTo(
  behaviour: Parameters<Awaited<ReturnType<typeof startGitHost>>['setBehaviour']>[1],
) {
  const git = await startGitHost({ files: { '/registry.json': registryText({ version: 2 }) } });
  const cdn = await startGitHost({ files: { '/api/plugins': registryText({ version: 2 }) } });
  git.setBehaviour('/registry.json', behaviour);
  const resolver = createMarketplaceSourceResolver({
    urlPolicy: policy,
    defaultConfig: { type: 'git', gitUrl: `${git.url}/registry.json`, cloudflareUrl: cdn.url },
    platform: { storage: createMemoryStorage(), logger: silentLogger, random: () => 0 },
    autoRefresh: false,
    ejection: { baseEjectionMs: 100, maxEjectionMs: 1000 },
  });
  let readmitted = 0;
  resolver.subscribe((e) => {
    if (e.type === 'source-readmitted' && e.source === 'git') readmitted++;
  });
  const end = Date.now() + 2500;
  while (Date.now() < end) {
    await resolver.getRegistry();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  resolver.dispose();
  const requests = git.requests.filter((r) => r.path === '/registry.json').length;
  await Promise.all([git.close(), cdn.close()]);
  return { requests, readmitted };
}

async function refusedBody(): Promise<void> {
  const failing = await requestsTo({ kind: 'status', status: 500 });
  const html = await requestsTo({
    kind: 'body',
    body: '<!doctype html><title>Unicorn!</title>',
    contentType: 'text/html',
  });
  figures.push({
    name: 'Git requests: 200 with an HTML page vs 500, same policy (2.5 s at 1/300 scale)',
    value: html.requests,
    unit: 'requests',
    target: `≤ the 500's (${failing.requests}) + 1`,
    pass: html.requests <= failing.requests + 1 && html.readmitted === 0,
    detail: `re-admitted ${html.readmitted} times (500: ${failing.readmitted}); before the one judgement, probes re-admitted the HTML source each time: 43 requests, 9 re-admissions`,
  });
}

const group = process.argv[2];
const groups: Record<string, () => Promise<void>> = { cold: coldGetRegistry, refused: refusedBody };
for (const [name, run] of Object.entries(groups)) {
  if (group === undefined || group === name) {
    console.log(`  real-registry: ${name}…`);
    await run();
  }
}
await writeResults('real-registry', 'The registry at real size, and the one judgement', figures);
