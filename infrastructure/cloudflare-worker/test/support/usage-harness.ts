import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import type { SourceUsage, UsageAggregateRow, UsageReport } from '@cartae/marketplace-core';
import type { UsageAggregator } from '../../src/usage/usage-aggregator.ts';
import { usageShardName } from '../../src/usage/usage-shard.ts';
import type { RecordedIngestCall } from './scenarios.ts';
import { type EnvOverrides, request } from './worker-harness.ts';

export const MINUTE = 60_000;

/** Start of the minute holding `epochMs`. */
export const minuteOf = (epochMs: number) => Math.floor(epochMs / MINUTE) * MINUTE;

/** A distinct `installDay` (16 hex digits) per number. */
export const installDay = (n: number) => n.toString(16).padStart(16, '0');

/** One source's usage for a minute; counts add up as `parseUsageReport` requires. */
export function sourceUsage(overrides: Partial<SourceUsage> = {}): SourceUsage {
  return {
    requests: 10,
    successes: 8,
    notModified: 3,
    errors: 2,
    rateLimited: 1,
    timeouts: 1,
    refused: 0,
    fallbacks: 1,
    latency: [5, 2, 1, 0, 0, 0, 0, 0],
    ...overrides,
  };
}

/** A valid report of the current minute (per `Date.now()`, which tests may fake). */
export function usageReport(overrides: Partial<UsageReport> = {}): UsageReport {
  return {
    schemaVersion: 1,
    sdkVersion: '0.1.0',
    configVersion: 7,
    installDay: installDay(1),
    minute: minuteOf(Date.now()),
    staleServes: 0,
    sources: { git: sourceUsage() },
    ...overrides,
  };
}

/** A config poll carrying `report` (a report, or the raw body) from `address`. */
export function postReport(
  report: UsageReport | string,
  options: { address?: string; headers?: Record<string, string>; overrides?: EnvOverrides } = {},
): Promise<Response> {
  const headers = new Headers({ 'content-type': 'text/plain;charset=UTF-8', ...options.headers });
  if (options.address !== undefined) headers.set('cf-connecting-ip', options.address);
  const body = typeof report === 'string' ? report : JSON.stringify(report);
  return request('/api/config', { method: 'POST', headers, body }, options.overrides);
}

/** The stub of a shard's aggregator. */
export function shardStub(shard: number): DurableObjectStub<UsageAggregator> {
  const namespace = env.USAGE_AGGREGATOR;
  return namespace.get(namespace.idFromName(usageShardName(shard)));
}

export const SHARDS = [0, 1, 2, 3, 4, 5, 6, 7];

/** Empties every shard (storage and alarm) and starts new instances. */
export async function resetShards(): Promise<void> {
  for (const shard of SHARDS) {
    const stub = shardStub(shard);
    await runInDurableObject(stub, async (_instance, state) => {
      await state.storage.deleteAlarm();
      await state.storage.deleteAll();
    });
    await evictDurableObject(stub);
  }
}

/** Runs the alarm of each shard that has one set; returns the shards whose alarm ran. */
export async function runAlarms(): Promise<number[]> {
  const ran: number[] = [];
  for (const shard of SHARDS) if (await runDurableObjectAlarm(shardStub(shard))) ran.push(shard);
  return ran;
}

/** Every call the stand-in's `ingest_usage_aggregates` has received so far. */
export async function ingestCalls(): Promise<RecordedIngestCall[]> {
  return (await fetch(`${env.TEST_CONTROL_PLANE_URL}/__usage-calls`)).json();
}

/** The rows of a recorded call. */
export const rowsOf = (call: RecordedIngestCall) => (call.body as { p_rows: UsageAggregateRow[] }).p_rows;

/** The batch id of a recorded call. */
export const batchIdOf = (call: RecordedIngestCall) => (call.body as { p_batch_id?: string }).p_batch_id;

/**
 * Makes the stand-in's ingest endpoint (for the Worker's SUPABASE_URL, `…/good`) succeed, fail
 * (503), refuse (400), commit and lose its answer (`lost`: 500), or never answer (`hang`).
 */
export async function ingestAnswers(scenario: 'ok' | 'fail' | 'reject' | 'lost' | 'hang'): Promise<void> {
  const response = await fetch(`${env.TEST_CONTROL_PLANE_URL}/__usage-script/good`, {
    method: 'PUT',
    body: scenario,
  });
  await response.body?.cancel();
}
