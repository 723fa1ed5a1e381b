import { parseUsageReport } from '@cartae/marketplace-core';
import type { BoundedBody } from '../http/bounded-body.ts';
import type { WorkerEnv } from '../worker-env.ts';
import type { WorkerPlatform } from '../worker-platform.ts';
import type { WorkerSettings } from '../worker-settings.ts';
import type { AddressRateLimiter } from './address-rate-limit.ts';
import type { IntakeOutcome, IntakeTally } from './intake-tally.ts';
import { usageShardName, usageShardOf } from './usage-shard.ts';
import { usageTelemetry } from './usage-telemetry.ts';

/** What the intake keeps across requests in an isolate. */
export interface UsageIntake {
  readonly limiter: AddressRateLimiter;
  readonly tally: IntakeTally;
}

export interface IntakeRequest {
  readonly body: Exclude<BoundedBody, { kind: 'empty' }>;
  /** From `clientAddress`: only ever hashed, for the rate limit. */
  readonly address: string | null;
  readonly env: WorkerEnv;
  readonly settings: WorkerSettings;
  readonly platform: WorkerPlatform;
}

async function decide(intake: UsageIntake, request: IntakeRequest, now: number): Promise<IntakeOutcome> {
  const { body, env, settings } = request;
  if (!usageTelemetry(env, settings).enabled) return 'disabled';
  if (!(await intake.limiter.allow(request.address, now))) return 'rate_limited';
  if (body.kind === 'too_large') return 'too_large';
  if (body.kind === 'unreadable') return 'invalid';
  const parsed = parseUsageReport(body.text, now);
  if (!parsed.ok) return 'invalid';
  const report = parsed.value;
  if (Object.keys(report.sources).length === 0) return 'empty';
  const shard = usageShardOf(report.installDay, settings.usageShards);
  const namespace = env.USAGE_AGGREGATOR;
  try {
    await namespace.get(namespace.idFromName(usageShardName(shard))).add(report, shard);
    return 'accepted';
  } catch {
    return 'undelivered';
  }
}

/**
 * Takes the usage report a config poll carried: rate limit per address, then size, then
 * `parseUsageReport`, then hands it to its shard's aggregator. Runs after the answer is sent
 * (`afterResponse`), never throws, and whatever it decides is only counted (`IntakeTally`): the
 * app gets its config either way.
 *
 * @example
 * await afterResponse(c, takeUsageReport(intake, { body, address, env, settings, platform }));
 */
export async function takeUsageReport(intake: UsageIntake, request: IntakeRequest): Promise<IntakeOutcome> {
  const now = request.platform.now();
  let outcome: IntakeOutcome;
  try {
    outcome = await decide(intake, request, now);
  } catch {
    outcome = 'undelivered';
  }
  intake.tally.count(outcome, now, request.platform.log);
  return outcome;
}
