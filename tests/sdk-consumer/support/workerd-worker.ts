import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';

/** The compatibility date of the repo's own Worker (infrastructure/cloudflare-worker/wrangler.jsonc). */
const COMPATIBILITY_DATE = '2026-04-20';

/**
 * Bundles a module Worker written in the consumer project, as wrangler does for workerd: the
 * packages' `workerd`, `worker` and `browser` conditions, ES module output, `node:` built-ins left
 * to the runtime. Resolves from the project's node_modules: the installed tarballs, not the sources.
 */
export async function bundleWorker(app: string, file: string, source: string): Promise<string> {
  writeFileSync(join(app, file), source);
  const result = await build({
    entryPoints: [join(app, file)],
    absWorkingDir: app,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['browser', 'module', 'main'],
    conditions: ['workerd', 'worker', 'browser'],
    external: ['node:*'],
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

/** What the Worker answered to one request. */
export interface WorkerAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** What a run in workerd gave: the answers in order, and what workerd logged (`level: message`). */
export interface WorkerdRun {
  readonly answers: WorkerAnswer[];
  readonly logs: string[];
}

/**
 * The Worker every outbound `fetch()` of the Worker under test goes to: it sends the request on,
 * through workerd's own network, to the loopback server, naming the URL asked for in
 * `x-forwarded-url` (workerd sets `Host` from the URL it fetches).
 */
const FORWARDER = `export default {
  async fetch(request, env) {
    const asked = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.set('x-forwarded-url', asked.href);
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    return fetch(\`http://\${env.UPSTREAM}\${asked.pathname}\${asked.search}\`, { method: request.method, headers, body });
  },
};`;

/**
 * Runs a bundled module Worker in workerd (Miniflare) and sends it `requests` requests in turn, as
 * visitors would. Every `fetch()` the Worker makes goes, unchanged, to `upstream` (`host:port`), a
 * real loopback HTTP server, through a forwarding Worker (Miniflare 5 has no `external` outbound).
 */
export async function runInWorkerd(
  script: string,
  {
    upstream,
    compatibilityFlags = [],
    requests = 1,
  }: {
    upstream: string;
    compatibilityFlags?: string[];
    requests?: number;
  },
): Promise<WorkerdRun> {
  const logs: string[] = [];
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      handleStructuredLogs: ({ level, message }) => logs.push(`${level}: ${message}`),
      workers: [
        {
          name: 'consumer',
          modules: true,
          script,
          compatibilityDate: COMPATIBILITY_DATE,
          compatibilityFlags,
          outboundService: 'forwarder',
        },
        {
          name: 'forwarder',
          modules: true,
          script: FORWARDER,
          compatibilityDate: COMPATIBILITY_DATE,
          bindings: { UPSTREAM: upstream },
        },
      ],
    }),
  );
  try {
    await mf.ready;
    const answers: WorkerAnswer[] = [];
    for (let i = 0; i < requests; i++) {
      const response = await mf.dispatchFetch('http://consumer-worker.example/');
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON (workerd's own error page, say): kept as text so the assertion shows it.
      }
      answers.push({ status: response.status, body });
    }
    return { answers, logs };
  } finally {
    await mf.dispose();
  }
}
