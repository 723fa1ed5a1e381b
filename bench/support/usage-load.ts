/**
 * Helpers for the usage-telemetry figures of the Worker benchmark (issue 13): valid usage reports
 * as the resolver sends them, the Worker bundle under Miniflare with its `UsageAggregator` Durable
 * Object, a loopback proxy in front of the Supabase stand-in that counts the writes
 * (`rpc/ingest_usage_aggregates`) reaching the control plane, and a sender that posts an exact
 * number of reports.
 */

import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fnv1a32, LATENCY_BUCKET_COUNT, type UsageReport } from '@cartae/marketplace-core';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';

/** A distinct install-day hash (16 hex digits) for install `index` of `fleet`. */
export function installDayOf(fleet: string, index: number): string {
  return createHash('sha256').update(`${fleet}:${index}`).digest('hex').slice(0, 16);
}

/** The shard a report of `installDay` goes to: the Worker's own rule (`usageShardOf`). */
export function shardOf(installDay: string, shards: number): number {
  return fnv1a32(installDay) % shards;
}

/**
 * A distinct client address per report (10.0.0.0/8, then 100.64.0.0/10): what the edge would put
 * in `CF-Connecting-IP` for apps on their own connections. Miniflare keeps a `CF-Connecting-IP`
 * the client sent (and sets it to the socket's address otherwise), as a trusted proxy would; the
 * Cloudflare edge overwrites it, so this only stands in for many clients, it lifts no limit.
 */
export function clientAddressOf(index: number): string {
  const n = index % 2 ** 24;
  const base = index < 2 ** 24 ? 10 : 100;
  return `${base}.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/**
 * One minute of one install as the resolver reports it (`buildUsageReport`): a CDN source polled
 * four times (three 304s), all fast, and an idle Git source with no traffic left out.
 */
export function usageReportText(installDay: string, minute: number, configVersion: number): string {
  const latency = Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => (i === 0 ? 4 : 0));
  const report: UsageReport = {
    schemaVersion: 1,
    sdkVersion: '0.1.0',
    configVersion,
    installDay,
    minute,
    staleServes: 0,
    sources: {
      cloudflare: {
        requests: 4,
        successes: 4,
        notModified: 3,
        errors: 0,
        rateLimited: 0,
        timeouts: 0,
        refused: 0,
        fallbacks: 0,
        latency,
      },
    },
  };
  return JSON.stringify(report);
}

/** A valid report about no source: the Worker's intake counts it as `empty` and aggregates nothing. */
export function emptyReportText(installDay: string, minute: number): string {
  return JSON.stringify({
    schemaVersion: 1,
    sdkVersion: '0.1.0',
    configVersion: null,
    installDay,
    minute,
    staleServes: 0,
    sources: {},
  });
}

/**
 * The Worker's intake outcomes (`accepted`, `rate_limited`, `undelivered`…), summed over its
 * `usage_intake` log lines (one per isolate per minute at most, written on the first report
 * after the minute is up).
 */
export function intakeOutcomes(logLines: readonly string[]): Record<string, number> {
  const outcomes: Record<string, number> = {};
  for (const line of logLines) {
    if (!line.includes('"usage_intake"')) continue;
    try {
      const { event: _event, since: _since, ...counts } = JSON.parse(line) as Record<string, unknown>;
      for (const [outcome, n] of Object.entries(counts)) {
        if (typeof n === 'number') outcomes[outcome] = (outcomes[outcome] ?? 0) + n;
      }
    } catch {
      // not a JSON line
    }
  }
  return outcomes;
}

/** Headers of a report POST as the resolver sends it (text/plain: no CORS preflight). */
export function reportHeaders(address: string): Record<string, string> {
  return { 'content-type': 'text/plain;charset=UTF-8', 'cf-connecting-ip': address };
}

/** One `ingest_usage_aggregates` call the control plane received, as the proxy saw it. */
export interface IngestCall {
  readonly at: number;
  readonly status: number;
  readonly rows: readonly {
    readonly minute: string;
    readonly shard: number;
    readonly configVersion: number;
    readonly installs: number;
    readonly reports: number;
  }[];
}

export interface CountingProxy {
  readonly url: string;
  /** Every write (`POST …/rpc/ingest_usage_aggregates`) forwarded, with the control plane's status. */
  readonly ingestCalls: IngestCall[];
  /** Every other request forwarded (config reads). */
  readonly otherCalls: () => number;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

function forwardHeaders(headers: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    out.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return out;
}

/**
 * A loopback proxy in front of the control plane at `target` (the Worker's SUPABASE_URL points
 * here): forwards every request unchanged and records each write it carried.
 */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const ingestCalls: IngestCall[] = [];
  let other = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const isIngest = req.method === 'POST' && req.url?.endsWith('/rpc/ingest_usage_aggregates') === true;
      try {
        const answer = await fetch(`${target}${req.url ?? '/'}`, {
          method: req.method ?? 'GET',
          headers: forwardHeaders(req.headers),
          ...(body.length > 0 ? { body } : {}),
        });
        const text = Buffer.from(await answer.arrayBuffer());
        if (isIngest) {
          const sent = JSON.parse(body.toString('utf8')) as { p_rows: IngestCall['rows'] };
          ingestCalls.push({ at: Date.now(), status: answer.status, rows: sent.p_rows });
        } else {
          other++;
        }
        const headers: Record<string, string> = {};
        answer.headers.forEach((value, name) => {
          if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') headers[name] = value;
        });
        res.writeHead(answer.status, { ...headers, 'content-length': String(text.length) });
        res.end(text);
      } catch (error) {
        if (isIngest) ingestCalls.push({ at: Date.now(), status: 502, rows: [] });
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ingestCalls,
    otherCalls: () => other,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The bundle `wrangler deploy` uploads (from `bundleDir`), under Miniflare with everything usage
 * telemetry needs: local KV, the `UsageAggregator` Durable Object (SQLite storage, in memory,
 * alarms on), the control plane's URL and service role key. One instance per fleet, so each has
 * shards of its own.
 */
export async function startUsageWorker(
  bundleDir: string,
  bindings: Record<string, string>,
): Promise<{ url: string; logLines: string[]; dispose(): Promise<void> }> {
  const logLines: string[] = [];
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      scriptPath: join(bundleDir, 'index.js'),
      modulesRoot: bundleDir,
      compatibilityDate: '2026-04-20',
      kvNamespaces: ['REGISTRY_KV'],
      durableObjects: { USAGE_AGGREGATOR: { className: 'UsageAggregator', useSQLite: true } },
      bindings,
      host: '127.0.0.1',
      port: 0,
      // The Worker's log lines (usage_intake, usage_flush_failed…), kept for the figures.
      handleStructuredLogs: (log: { message: string }) => {
        for (const line of log.message.split('\n')) if (line.trim() !== '') logLines.push(line);
      },
    }),
  );
  const url = (await mf.ready).toString().replace(/\/$/, '');
  return { url, logLines, dispose: () => mf.dispose() };
}

/** What an exact run of reports came to at the client. */
export interface SendResult {
  readonly sent: number;
  readonly ok: number;
  /** Status → count, for answers outside 2xx; `error` for requests that got no answer. */
  readonly failures: Record<string, number>;
  readonly seconds: number;
}

/** POSTs `count` reports (`make(i)`) to `url`, `concurrency` at a time, each exactly once. */
export async function sendReports(
  url: string,
  count: number,
  make: (index: number) => { body: string; headers: Record<string, string> },
  concurrency = 32,
): Promise<SendResult> {
  let next = 0;
  let ok = 0;
  const failures: Record<string, number> = {};
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const { body, headers } = make(i);
      try {
        const response = await fetch(url, { method: 'POST', headers, body });
        await response.arrayBuffer();
        if (response.status >= 200 && response.status < 300) ok++;
        else failures[String(response.status)] = (failures[String(response.status)] ?? 0) + 1;
      } catch {
        failures.error = (failures.error ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { sent: count, ok, failures, seconds: (performance.now() - started) / 1000 };
}
