/**
 * Control-plane benchmark (issue: control plane). `get_marketplace_config` through the local
 * Supabase stand-in on loopback, with autocannon, on real PostgreSQL 15 and on PGlite.
 * The stand-in runs in its own process, as in `npm start`; autocannon runs here.
 * Run: `npm run bench -- control-plane` or `node --import tsx bench/control-plane.bench.ts`.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createPostgresDatabase } from '@cartae/local-supabase';
import autocannon from 'autocannon';
import { startPostgresCluster } from '../supabase/tests/support/postgres-cluster.ts';
import { type BenchFigure, writeResults } from './support/results.ts';

const DURATION_S = 10;
const CONNECTIONS = 16;
const figures: BenchFigure[] = [];

interface Served {
  url: string;
  anonKey: string;
  stop(): Promise<void>;
}

/** Starts `local-supabase serve` in a child process and reads its URL and anon key. */
async function serveStandIn(env: Record<string, string>): Promise<Served> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'packages/local-supabase/src/cli.ts', 'serve', '--port', '0'],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout?.setEncoding('utf8');
  const ready = new Promise<{ url: string; anonKey: string }>((resolve, reject) => {
    child.stdout?.on('data', (chunk: string) => {
      out += chunk;
      const url = /API URL:\s+(\S+)/.exec(out)?.[1];
      const anonKey = /anon key:\s+(\S+)/.exec(out)?.[1];
      if (url && anonKey) resolve({ url, anonKey });
    });
    child.once('exit', (code) => reject(new Error(`stand-in exited with ${code}:\n${out}`)));
  });
  const { url, anonKey } = await ready;
  return {
    url,
    anonKey,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

async function load(served: Served, method: 'GET' | 'POST'): Promise<autocannon.Result> {
  const options = {
    url: `${served.url}/rest/v1/rpc/get_marketplace_config`,
    method,
    connections: CONNECTIONS,
    headers: {
      apikey: served.anonKey,
      authorization: `Bearer ${served.anonKey}`,
      'content-type': 'application/json',
    },
    ...(method === 'POST' ? { body: '{}' } : {}),
  };
  await autocannon({ ...options, duration: 2 }); // warm-up: JIT, pool, function catalog
  return autocannon({ ...options, duration: DURATION_S });
}

function record(
  backend: string,
  method: string,
  result: autocannon.Result,
  target: { rps: number; p99: number } | undefined,
) {
  const failures = result.errors + result.timeouts + result.non2xx;
  const rps = Math.round(result.requests.average);
  const p99 = result.latency.p99;
  figures.push({
    name: `${method} get_marketplace_config, ${backend}`,
    value: rps,
    unit: 'req/s',
    target: target ? `≥ ${target.rps.toLocaleString('en')} req/s, p99 < ${target.p99} ms` : 'reported',
    pass: target ? rps >= target.rps && p99 < target.p99 && failures === 0 : failures === 0,
    detail: `p50 ${result.latency.p50} ms · p99 ${p99} ms · ${failures} failed of ${result.requests.total} · ${CONNECTIONS} connections, ${DURATION_S} s`,
  });
  console.log(`${backend} ${method}: ${rps} req/s, p99 ${p99} ms, ${failures} failures`);
}

const cluster = await startPostgresCluster();
try {
  const admin = createPostgresDatabase(cluster.url('postgres'), { max: 1 });
  await admin.exec('create database cartae_bench');
  await admin.close();
  const onPostgres = await serveStandIn({ DATABASE_URL: cluster.url('cartae_bench') });
  try {
    record('PostgreSQL 15', 'GET', await load(onPostgres, 'GET'), { rps: 2000, p99: 20 });
    record('PostgreSQL 15', 'POST', await load(onPostgres, 'POST'), undefined);
  } finally {
    await onPostgres.stop();
  }
} finally {
  cluster.stop();
}

const onPglite = await serveStandIn({});
try {
  record('PGlite (in memory)', 'GET', await load(onPglite, 'GET'), undefined);
} finally {
  await onPglite.stop();
}

await writeResults(
  'control-plane',
  'Control plane: get_marketplace_config through the local Supabase stand-in',
  figures,
);
