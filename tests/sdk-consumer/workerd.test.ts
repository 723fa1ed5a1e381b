import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LoopbackMarketplace, startLoopbackMarketplace } from './support/loopback-marketplace.ts';
import {
  readmeUsageSnippets,
  readmeWorkerSnippet,
  usageSnippetsAsWorker,
} from './support/readme-snippets.ts';
import { bundleWorker, runInWorkerd } from './support/workerd-worker.ts';

// The README in workerd, from the installed tarballs: bundled as wrangler would, run by Miniflare,
// every fetch sent to a real loopback server that answers as the network the snippets name.
const project = inject('consumerProject');
let upstream: LoopbackMarketplace;

beforeAll(async () => {
  upstream = await startLoopbackMarketplace();
});
afterAll(() => upstream?.close());

/** A workerd log line that is a warning or an error (the resolver's logger writes only those). */
const complaint = (line: string) => /^(warn|error)\b/.test(line);

const compatibility = [
  { label: 'without nodejs_compat', compatibilityFlags: [] },
  { label: 'with nodejs_compat', compatibilityFlags: ['nodejs_compat'] },
];

describe.each(compatibility)('the README in workerd, $label', ({ compatibilityFlags }) => {
  it('runs the Usage snippets as written in a fetch handler', async () => {
    const script = await bundleWorker(
      project.app,
      'readme-usage-worker.mjs',
      usageSnippetsAsWorker(readmeUsageSnippets().esm),
    );
    expect(script, 'the bundle of the main entry imports a Node built-in').not.toMatch(
      /from\s*"node:|import\("node:/,
    );
    const seen = upstream.requests.length;
    const {
      answers: [answer],
      logs,
    } = await runInWorkerd(script, { upstream: upstream.address, compatibilityFlags });
    expect(logs.filter(complaint), 'workerd logged warnings or errors').toEqual([]);
    expect(answer?.status, JSON.stringify(answer?.body)).toBe(200);
    expect(answer?.body).toMatchObject({
      url: 'https://marketplace.cartae.com/api/plugins',
      rendered: { plugins: ['kanban'], source: 'cloudflare', stale: false },
    });
    const requests = upstream.requests.slice(seen);
    expect(requests).toContain('GET https://marketplace.cartae.com/api/config → 200');
    expect(requests).toContain('GET https://marketplace.cartae.com/api/plugins → 200');
  });

  it("serves requests with the README's Worker, one resolver for the isolate", async () => {
    const script = await bundleWorker(project.app, 'readme-worker.mjs', readmeWorkerSnippet());
    const seen = upstream.requests.length;
    const { answers, logs } = await runInWorkerd(script, {
      upstream: upstream.address,
      compatibilityFlags,
      requests: 3,
    });
    expect(logs.filter(complaint), 'workerd logged warnings or errors').toEqual([]);
    for (const answer of answers) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body).toEqual({ plugins: ['kanban'], source: 'cloudflare', stale: false });
    }
    // The isolate's resolver keeps its config and registry: later visitors cost one conditional
    // request (a 304), not a config read or a second download.
    const requests = upstream.requests.slice(seen);
    expect(requests.filter((r) => r.includes('/api/config'))).toEqual([
      'GET https://marketplace.cartae.com/api/config → 200',
    ]);
    expect(requests.filter((r) => r.includes('/api/plugins'))).toEqual([
      'GET https://marketplace.cartae.com/api/plugins → 200',
      'GET https://marketplace.cartae.com/api/plugins → 304',
      'GET https://marketplace.cartae.com/api/plugins → 304',
    ]);
  });
});
