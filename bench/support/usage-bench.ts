/**
 * The usage-telemetry figures of the Worker benchmark (issue 13, "Done when"):
 *
 * 1. Usage report ingestion: valid reports (text/plain JSON, as the resolver sends them), each
 *    from a distinct install-day hash and client address, POSTed to /api/config of the Worker
 *    bundle in workerd, with autocannon; reports/s and non-2xx answers, beside an empty Worker
 *    under the same POST load in the same run. Then the reports must be counted: the run waits
 *    for the shards' once-a-minute flush and reads the sums the control plane stored.
 * 2. Control-plane writes per minute for 100 and for 10,000 installs: two more Workers, each with
 *    shards of its own, take one report per install for the same minute; a proxy in front of the
 *    control plane counts the `ingest_usage_aggregates` calls each one makes for that minute.
 *
 * All reports carry one minute (the one the run starts in, or the next when more than 15 s of it
 * have passed), so one flush per shard, when the minute closes (its end + the 30 s settle window),
 * delivers them all. The sending takes 30–70 s; `startUsageFigures` returns then (a caller may
 * run other work meanwhile), and `finish()` waits for what is left of the flush (30–90 s), reads
 * what the control plane stored and returns the figures. (A resolver reports a minute once it has ended; the Worker takes a report
 * for any open minute the same way: same checks, same shard, same sums.)
 */

import { type RunningStandIn, startSupabaseStandIn } from '@cartae/local-supabase';
import autocannon from 'autocannon';
import type { BenchFigure } from './results.ts';
import {
  type CountingProxy,
  clientAddressOf,
  emptyReportText,
  installDayOf,
  intakeOutcomes,
  reportHeaders,
  type SendResult,
  sendReports,
  shardOf,
  startCountingProxy,
  startUsageWorker,
  usageReportText,
} from './usage-load.ts';

const SHARDS = 8;
const CONNECTIONS = 32;
const SECONDS = 6;
const SMALL_FLEET = 100;
const LARGE_FLEET = 10_000;
/** The Worker's per-address limit (REPORTS_PER_ADDRESS): five reports a minute. */
const PER_ADDRESS = 5;
const SAME_ADDRESS_REPORTS = 10;
/** A minute closes 90 s after it starts (SETTLE_MS = 30 s); the alarm then flushes it. */
const CLOSE_AFTER_MS = 90_000;
const FLUSH_GRACE_MS = 45_000;
/**
 * Past this much of a minute, the reports carry the next one: the sending takes 30–70 s (the
 * latter on a busy machine) and must end before the minute closes, 90 s after it starts.
 */
const LATEST_START_MS = 15_000;
/** Ingestion and ceiling loads alternate, best round of each kept, as the other Worker figures. */
const ROUNDS = 2;

/** Config versions tell the fleets' rows apart in the one control plane they share. */
const VERSION = { ingest: 1, sameAddress: 2, small: 3, large: 4 } as const;

interface Fleet {
  readonly name: string;
  readonly proxy: CountingProxy;
  readonly worker: { url: string; logLines: string[]; dispose(): Promise<void> };
  /** Shards that were sent at least one report. */
  readonly shards: Set<number>;
  /** When its first report was sent: its intake is logged a minute later at the earliest. */
  firstReportAt: number;
}

/** Config polls and /health never read Git: the usage Workers are given a URL nothing answers. */
const UNUSED_GIT_URL = 'http://127.0.0.1:9/registry.json';

async function startFleet(name: string, standIn: RunningStandIn, bundleDir: string): Promise<Fleet> {
  const proxy = await startCountingProxy(standIn.url);
  const worker = await startUsageWorker(bundleDir, {
    REGISTRY_GIT_URL: UNUSED_GIT_URL,
    ALLOW_LOOPBACK_HTTP: 'true',
    CORS_ALLOWED_ORIGINS: '*',
    SUPABASE_URL: proxy.url,
    SUPABASE_ANON_KEY: standIn.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: standIn.serviceRoleKey,
    ADMIN_TOKEN: 'bench-admin-token-not-used',
    USAGE_SHARDS: String(SHARDS),
  });
  const health = (await (await fetch(`${worker.url}/health`)).json()) as { usage: { state: string } };
  if (health.usage.state === 'disabled') throw new Error(`${name}: usage telemetry is disabled`);
  // A plain config poll (no report): the config is read once and cached, as before any load.
  const poll = await fetch(`${worker.url}/api/config`, { method: 'POST' });
  await poll.arrayBuffer();
  if (poll.status !== 200) throw new Error(`${name}: POST /api/config answered ${poll.status}`);
  return { name, proxy, worker, shards: new Set(), firstReportAt: Number.NaN };
}

/** autocannon POSTing one fresh report per request (distinct install and address each). */
function reportLoad(
  url: string,
  seconds: number,
  next: () => { body: string; headers: Record<string, string> },
): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/api/config`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const { body, headers } = next();
          return { ...request, body, headers: { ...request.headers, ...headers } };
        },
      },
    ],
  });
}

/** Writes that reached the control plane for `minute`, answered 2xx, and the reports they summed. */
function writesFor(fleet: Fleet, minuteIso: string) {
  const calls = fleet.proxy.ingestCalls.filter((c) => c.rows.some((r) => r.minute === minuteIso));
  const delivered = calls.filter((c) => c.status >= 200 && c.status < 300);
  const rows = delivered.flatMap((c) => c.rows.filter((r) => r.minute === minuteIso));
  return {
    calls: calls.length,
    delivered: delivered.length,
    failed: calls.length - delivered.length,
    shards: new Set(rows.map((r) => r.shard)),
    reports: rows.reduce((sum, r) => sum + r.reports, 0),
  };
}

const failuresText = (failures: Record<string, number>) =>
  Object.entries(failures)
    .map(([status, n]) => `${n} × ${status}`)
    .join(', ');

/** The sending is done; `finish()` waits for the flush and returns the figures. */
/**
 * What the Worker's intake made of the reports (accepted, rate_limited, undelivered…), from its
 * `usage_intake` log line: written on the first report a minute or more after the first, so one
 * report about no source (`empty`, aggregated nowhere, taken out again here) is sent to flush it.
 */
async function intakeOf(fleet: Fleet, index: number, minute: number): Promise<Record<string, number>> {
  await new Promise((r) => setTimeout(r, Math.max(0, fleet.firstReportAt + 61_000 - Date.now())));
  const logged = fleet.worker.logLines.filter((l) => l.includes('"usage_intake"')).length;
  const answer = await fetch(`${fleet.worker.url}/api/config`, {
    method: 'POST',
    headers: reportHeaders(`198.51.100.${index + 1}`),
    body: emptyReportText('ffffffffffffffff', minute),
  });
  await answer.arrayBuffer();
  const until = Date.now() + 5_000;
  while (
    fleet.worker.logLines.filter((l) => l.includes('"usage_intake"')).length === logged &&
    Date.now() < until
  ) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const outcomes = intakeOutcomes(fleet.worker.logLines);
  if (outcomes.empty !== undefined) outcomes.empty -= 1;
  if (outcomes.empty === 0) delete outcomes.empty;
  return outcomes;
}

const outcomesText = (outcomes: Record<string, number>) =>
  Object.keys(outcomes).length === 0
    ? 'intake not logged'
    : `intake: ${Object.entries(outcomes)
        .map(([outcome, n]) => `${n.toLocaleString('en-US')} ${outcome}`)
        .join(', ')}`;

export interface UsageRun {
  finish(): Promise<BenchFigure[]>;
}

export async function startUsageFigures(options: {
  bundleDir: string;
  /** An empty Worker in the same local workerd: the runtime's own ceiling. */
  emptyWorkerUrl: string;
  log?: (line: string) => void;
}): Promise<UsageRun> {
  const log = options.log ?? ((line: string) => console.error(`  usage: ${line}`));
  const figures: BenchFigure[] = [];
  const standIn = await startSupabaseStandIn(); // real migrations over PGlite, in memory
  const fleets: Fleet[] = [];
  const stop = async () => {
    for (const fleet of fleets) {
      await fleet.worker.dispose();
      await fleet.proxy.close();
    }
    await standIn.close();
  };
  try {
    for (const name of ['ingest', 'small', 'large']) {
      fleets.push(await startFleet(name, standIn, options.bundleDir));
    }
    const [ingest, small, large] = fleets as [Fleet, Fleet, Fleet];
    const started = Date.now();
    const current = Math.floor(started / 60_000) * 60_000;
    const minute = started - current <= LATEST_START_MS ? current : current + 60_000;
    const minuteIso = new Date(minute).toISOString();
    log(
      `reports for minute ${minuteIso} (now ${((started - current) / 1000).toFixed(0)} s into ${new Date(current).toISOString()})`,
    );

    // 1. Ingestion at the Worker, beside an empty Worker under the same load.
    let generated = 0;
    const nextReport = () => {
      const i = generated++;
      const installDay = installDayOf('ingest', i);
      ingest.shards.add(shardOf(installDay, SHARDS));
      return {
        body: usageReportText(installDay, minute, VERSION.ingest),
        headers: reportHeaders(clientAddressOf(i)),
      };
    };
    let ceilingGenerated = 0;
    const nextCeilingReport = () => {
      const i = ceilingGenerated++;
      return {
        body: usageReportText(installDayOf('ceiling', i), minute, VERSION.ingest),
        headers: reportHeaders(clientAddressOf(i)),
      };
    };
    ingest.firstReportAt = Date.now();
    const warmUp = await reportLoad(ingest.worker.url, 2, nextReport); // isolate, shards, JIT (counted too)
    const ceilings: autocannon.Result[] = [];
    const loads: autocannon.Result[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      ceilings.push(await reportLoad(options.emptyWorkerUrl, SECONDS, nextCeilingReport));
      loads.push(await reportLoad(ingest.worker.url, SECONDS, nextReport));
    }
    const best = (results: autocannon.Result[]) =>
      results.reduce((a, b) => (b.requests.average > a.requests.average ? b : a));
    const ceiling = best(ceilings);
    const load = best(loads);
    // Every round must be clean, not only the best one.
    const total = (pick: (r: autocannon.Result) => number) => loads.reduce((n, r) => n + pick(r), 0);
    const loadFailures = total((r) => r.non2xx + r.errors + r.timeouts);
    log(
      `ingestion ${loads.map((r) => Math.round(r.requests.average)).join(', ')} reports/s, ${loadFailures} failed`,
    );

    // The per-address limit is on: ten reports from one address in a minute, five are taken.
    const sameAddress = await sendReports(
      `${ingest.worker.url}/api/config`,
      SAME_ADDRESS_REPORTS,
      (i) => ({
        body: usageReportText(installDayOf('same-address', i), minute, VERSION.sameAddress),
        headers: reportHeaders('203.0.113.7'),
      }),
      1,
    );

    // 2. One report per install, 100 and 10,000 installs, each fleet on Workers of its own.
    const sendFleet = async (fleet: Fleet, installs: number, version: number): Promise<SendResult> => {
      for (let i = 0; i < installs; i++) fleet.shards.add(shardOf(installDayOf(fleet.name, i), SHARDS));
      fleet.firstReportAt = Date.now();
      return sendReports(`${fleet.worker.url}/api/config`, installs, (i) => ({
        body: usageReportText(installDayOf(fleet.name, i), minute, version),
        headers: reportHeaders(clientAddressOf(i)),
      }));
    };
    const smallSent = await sendFleet(small, SMALL_FLEET, VERSION.small);
    const largeSent = await sendFleet(large, LARGE_FLEET, VERSION.large);
    log(`fleets sent: ${smallSent.ok}/${SMALL_FLEET} and ${largeSent.ok}/${LARGE_FLEET} answered 2xx`);
    if (Date.now() > minute + CLOSE_AFTER_MS)
      log('the sending outlasted the minute: late reports are not counted');
    log(
      `sent in ${((Date.now() - started) / 1000).toFixed(0)} s; the minute closes in ${((minute + CLOSE_AFTER_MS - Date.now()) / 1000).toFixed(0)} s`,
    );
    return { finish: () => finish().finally(stop) };

    async function finish(): Promise<BenchFigure[]> {
      // Wait for each shard's flush of the minute (at its end + 30 s), then a little longer, so a
      // second write for the same minute would be seen too.
      const deadline = minute + CLOSE_AFTER_MS + FLUSH_GRACE_MS;
      const flushed = () =>
        fleets.every((fleet) => {
          const seen = writesFor(fleet, minuteIso).shards;
          return [...fleet.shards].every((shard) => seen.has(shard));
        });
      while (!flushed() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
      await new Promise((r) => setTimeout(r, 5_000));
      const lastWriteAt = Math.max(
        ...fleets.flatMap((f) => f.proxy.ingestCalls.map((c) => c.at)),
        Number.NEGATIVE_INFINITY,
      );
      const flushSeenAfter = (lastWriteAt - minute - CLOSE_AFTER_MS) / 1000;
      log(
        `flush ${flushed() ? 'complete' : 'NOT complete'}, last write ${flushSeenAfter.toFixed(1)} s after the minute closed`,
      );

      // What the control plane stored: sums per config version (one per fleet) and applied batches.
      const stored = await standIn.database.query<{
        config_version: string;
        reports: string;
        installs: string;
      }>(
        `select config_version::text, sum(reports)::text as reports, sum(installs)::text as installs
         from public.usage_minutes where minute = $1 group by config_version`,
        [minuteIso],
      );
      const storedOf = (version: number) => {
        const row = stored.rows.find((r) => Number(r.config_version) === version);
        return { reports: Number(row?.reports ?? 0), installs: Number(row?.installs ?? 0) };
      };
      const batches = await standIn.database.query<{ n: string }>(
        'select count(*)::text as n from marketplace_private.usage_batches',
      );
      const intake = new Map<Fleet, Record<string, number>>();
      for (const [index, fleet] of fleets.entries()) intake.set(fleet, await intakeOf(fleet, index, minute));
      const allDelivered = fleets.reduce((sum, f) => sum + writesFor(f, minuteIso).delivered, 0);

      // Figures: ingestion.
      const rps = Math.round(load.requests.average);
      const ceilingRps = Math.round(ceiling.requests.average);
      const counted = storedOf(VERSION.ingest);
      const answered = warmUp['2xx'] + total((r) => r['2xx']);
      const ingestWrites = writesFor(ingest, minuteIso);
      figures.push({
        name: 'usage reports ingested by the Worker in workerd (POST /api/config, text/plain report)',
        value: rps,
        unit: 'reports/s',
        target: '0 non-2xx, 0 errors',
        pass: loadFailures === 0,
        detail:
          `p99 ${load.latency.p99} ms; ${(rps / ceilingRps).toFixed(2)}× the empty Worker's ${ceilingRps.toLocaleString('en-US')}/s; ` +
          `over ${ROUNDS} rounds ${total((r) => r.non2xx)} non-2xx, ${total((r) => r.errors)} errors, ` +
          `${total((r) => r.timeouts)} timeouts of ${total((r) => r.requests.sent).toLocaleString('en-US')} sent; ` +
          `each report from a distinct install-day hash and client address; ${CONNECTIONS} connections, ${SECONDS} s, best of ${ROUNDS}, ${SHARDS} shards`,
      });
      figures.push({
        name: 'reference: an empty Worker under the same POST load, same local workerd',
        value: ceilingRps,
        unit: 'req/s',
        target: '(context)',
        pass: true,
        detail: `p99 ${ceiling.latency.p99} ms; the ceiling for the line above (it reads no body and answers 304)`,
      });
      // Every report answered must be counted; a report in flight when autocannon stopped may be too.
      const sentTotal = generated;
      figures.push({
        name: 'usage reports of the ingestion run counted at the control plane',
        value: counted.reports,
        unit: 'reports',
        target: '≥ answered 2xx, ≤ sent',
        pass:
          counted.reports >= answered && counted.reports <= sentTotal && counted.installs === counted.reports,
        detail:
          `${answered.toLocaleString('en-US')} answered 2xx and ${sentTotal.toLocaleString('en-US')} sent (2 s warm-up included), ` +
          `delivered in ${ingestWrites.delivered} writes; ${counted.installs.toLocaleString('en-US')} distinct installs stored; ` +
          `${outcomesText(intake.get(ingest) ?? {})} (the ${SAME_ADDRESS_REPORTS} of the next line included); ` +
          `read from public.usage_minutes after the shards' flush (last write ${flushSeenAfter.toFixed(1)} s after the minute closed)`,
      });
      const sameAddressCounted = storedOf(VERSION.sameAddress).reports;
      figures.push({
        name: `per-address limit: ${SAME_ADDRESS_REPORTS} reports from one address within a minute, counted`,
        value: sameAddressCounted,
        unit: 'reports',
        target: `${PER_ADDRESS} (the limit is on)`,
        pass: sameAddressCounted === PER_ADDRESS && sameAddress.ok === SAME_ADDRESS_REPORTS,
        detail:
          `${sameAddress.ok} of ${SAME_ADDRESS_REPORTS} answered 2xx (the config is served either way); the load above ` +
          'sends CF-Connecting-IP per report, which Miniflare keeps and the Cloudflare edge overwrites',
      });

      // Figures: writes per minute for each fleet size.
      const smallWrites = writesFor(small, minuteIso);
      const largeWrites = writesFor(large, minuteIso);
      for (const [fleet, installs, sent, writes, version] of [
        [small, SMALL_FLEET, smallSent, smallWrites, VERSION.small],
        [large, LARGE_FLEET, largeSent, largeWrites, VERSION.large],
      ] as const) {
        const stored = storedOf(version);
        const complete = stored.reports === installs && stored.installs === installs && sent.ok === installs;
        figures.push({
          name: `control-plane writes for one minute, ${installs.toLocaleString('en-US')} installs (one report each)`,
          value: writes.calls,
          unit: 'writes/min',
          target: `≤ ${SHARDS} (shards), same for ${SMALL_FLEET} and ${LARGE_FLEET.toLocaleString('en-US')}`,
          pass:
            writes.calls <= SHARDS &&
            smallWrites.calls === largeWrites.calls &&
            writes.failed === 0 &&
            complete,
          detail:
            `${writes.delivered} ingest_usage_aggregates calls answered 2xx from ${fleet.shards.size} shards with reports; ` +
            `${stored.reports.toLocaleString('en-US')} reports and ${stored.installs.toLocaleString('en-US')} installs stored; ` +
            `sent in ${sent.seconds.toFixed(1)} s, ${sent.ok.toLocaleString('en-US')} answered 2xx; ${outcomesText(intake.get(fleet) ?? {})}` +
            (Object.keys(sent.failures).length > 0 ? `, ${failuresText(sent.failures)}` : ''),
        });
      }
      figures.push({
        name: 'writes stored by the control plane (marketplace_private.usage_batches), all Workers of the run',
        value: Number(batches.rows[0]?.n ?? 0),
        unit: 'batches',
        target: '= writes seen by the proxies',
        pass: Number(batches.rows[0]?.n ?? 0) === allDelivered,
        detail: `${allDelivered} writes answered 2xx over the ${fleets.length} Workers (ingestion, ${SMALL_FLEET}, ${LARGE_FLEET.toLocaleString('en-US')} installs)`,
      });
      return figures;
    }
  } catch (error) {
    await stop();
    throw error;
  }
}
