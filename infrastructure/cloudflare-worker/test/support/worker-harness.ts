import {
  createExecutionContext,
  createScheduledController,
  env,
  type TestEnv,
  waitOnExecutionContext,
} from 'cloudflare:test';
import type { AlertSecretEnv } from '../../src/alerts/alert-target.ts';
import worker from '../../src/index.ts';
import { forgetSnapshot } from '../../src/registry/snapshot-memory.ts';
import type { WorkerEnv } from '../../src/worker-env.ts';
import type { RecordedEvaluateCall, RecordedWebhookCall, ScriptedEvaluation } from './scenarios.ts';

export const ORIGIN = 'https://marketplace.test';

export type EnvOverrides = Partial<Omit<WorkerEnv, 'REGISTRY_KV'>> & AlertSecretEnv;

/** The test env with some vars replaced (the KV binding stays the same). */
export function envWith(overrides: EnvOverrides = {}): TestEnv {
  return { ...env, ...overrides };
}

/** Sends one request through the Worker's fetch handler and waits for its after-response work. */
export async function request(
  path: string,
  init: RequestInit = {},
  overrides: EnvOverrides = {},
): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch!(new Request(`${ORIGIN}${path}`, init), envWith(overrides), ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** Runs the Cron Trigger once on a 5-minute mark (a run that mirrors Git), as Cloudflare would. */
export async function runCron(overrides: EnvOverrides = {}): Promise<void> {
  await worker.scheduled!(
    createScheduledController({ cron: '* * * * *', scheduledTime: scheduledMinute(0) }),
    envWith(overrides),
  );
}

/** The start of the current 5-minute mark plus `minutes` (0 and 5 mirror Git; 1–4 do not), epoch ms. */
export function scheduledMinute(minutes: number): number {
  return Math.floor(Date.now() / 300_000) * 300_000 + minutes * 60_000;
}

/**
 * Runs the once-a-minute Cron Trigger at `scheduledMinute(minutes)` with an execution context, and
 * waits for its `waitUntil` work (alert deliveries and their retries) as Cloudflare would.
 */
export async function runMinute(minutes: number, overrides: EnvOverrides = {}): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled!(
    createScheduledController({ cron: '* * * * *', scheduledTime: scheduledMinute(minutes) }),
    envWith(overrides),
    ctx,
  );
  await waitOnExecutionContext(ctx);
}

/** A stand-in `evaluate_fleet_automation` of one test's own, scriptable, that records its calls. */
export interface ScriptedAutomation {
  /** SUPABASE_URL pointing at it. */
  readonly url: string;
  answerWith(answer: ScriptedEvaluation): Promise<void>;
  calls(): Promise<RecordedEvaluateCall[]>;
  /** The alerts the Worker put in the feed (`record_fleet_alert`), in order. */
  feed(): Promise<{ event: string; text: string; details: Record<string, unknown> }[]>;
}

export async function scriptedAutomation(answer?: ScriptedEvaluation): Promise<ScriptedAutomation> {
  const prefix = `automation-${crypto.randomUUID()}`;
  const answerWith = async (next: ScriptedEvaluation) => {
    const response = await fetch(`${env.TEST_CONTROL_PLANE_URL}/__evaluate-script/${prefix}`, {
      method: 'PUT',
      body: JSON.stringify(next),
    });
    await response.body?.cancel();
  };
  if (answer !== undefined) await answerWith(answer);
  return {
    url: controlPlaneUrl(prefix),
    answerWith,
    calls: async () => (await fetch(`${env.TEST_CONTROL_PLANE_URL}/__evaluate-calls/${prefix}`)).json(),
    feed: async () => {
      const calls = (await (
        await fetch(`${env.TEST_CONTROL_PLANE_URL}/__alert-calls/${prefix}`)
      ).json()) as RecordedEvaluateCall[];
      return calls.map((call) => JSON.parse(call.body).p_alert);
    },
  };
}

/** A webhook receiver of one test's own that records every POST and answers `statuses` in turn, then 200. */
export interface RecordingWebhook {
  readonly url: string;
  deliveries(): Promise<RecordedWebhookCall[]>;
}

export async function recordingWebhook(statuses: readonly number[] = []): Promise<RecordingWebhook> {
  const id = `hook-${crypto.randomUUID()}`;
  const response = await fetch(`${env.TEST_CONTROL_PLANE_URL}/__webhook-script/${id}`, {
    method: 'PUT',
    body: JSON.stringify(statuses),
  });
  await response.body?.cancel();
  return {
    url: `${env.TEST_CONTROL_PLANE_URL}/__webhook/${id}`,
    deliveries: async () => (await fetch(`${env.TEST_CONTROL_PLANE_URL}/__webhook-calls/${id}`)).json(),
  };
}

/** The Git registry URL of a scenario on the local Git host. */
export function gitUrl(path: string): string {
  return `${env.TEST_GIT_HOST_URL}${path}`;
}

/** SUPABASE_URL for a scenario of the stand-in control plane. */
export function controlPlaneUrl(scenario: string): string {
  return `${env.TEST_CONTROL_PLANE_URL}/${scenario}`;
}

/** Empties KV and what this isolate remembers, so each test starts from a brand-new deployment. */
export async function resetWorkerState(): Promise<void> {
  const kv = env.REGISTRY_KV;
  let cursor: string | undefined;
  do {
    const page = await kv.list(cursor === undefined ? {} : { cursor });
    await Promise.all(page.keys.map((key) => kv.delete(key.name)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor !== undefined);
  forgetSnapshot(kv);
}

/** Requests the local Git host received for a path (asked of the Node side over loopback). */
export async function gitRequests(path: string): Promise<{ ifNoneMatch?: string }[]> {
  const response = await fetch(
    `${env.TEST_CONTROL_PLANE_URL}/__git-requests?path=${encodeURIComponent(path)}`,
  );
  return response.json();
}

/** How many requests the stand-in control plane received for a scenario. */
export async function controlPlaneRequestCount(scenario: string): Promise<number> {
  return (await fetch(`${env.TEST_CONTROL_PLANE_URL}/__count/${scenario}`)).json();
}

/** The exact bytes the local Git host serves for a path. */
export async function gitBytes(path: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(gitUrl(path))).arrayBuffer());
}

/** A stand-in control plane of one test's own: its own request count and its own edge-cache entry. */
export interface ScriptedControlPlane {
  /** Its SUPABASE_URL. */
  readonly url: string;
  /** From now on it answers as `scenario` (a `CONFIG_SCENARIOS` value), e.g. `good` to recover. */
  answerAs(scenario: string): Promise<void>;
  /** How many requests it has received. */
  requestCount(): Promise<number>;
}

/**
 * A new control plane that answers as `scenario`. Its URL is unique, so what one test leaves in the
 * edge cache (which no reset empties) never reaches another.
 */
export async function scriptedControlPlane(scenario: string): Promise<ScriptedControlPlane> {
  const prefix = `scripted-${crypto.randomUUID()}`;
  const answerAs = async (next: string) => {
    const response = await fetch(`${env.TEST_CONTROL_PLANE_URL}/__script/${prefix}`, {
      method: 'PUT',
      body: next,
    });
    await response.body?.cancel();
  };
  await answerAs(scenario);
  return { url: controlPlaneUrl(prefix), answerAs, requestCount: () => controlPlaneRequestCount(prefix) };
}

/** Publishes `body` at `path` on the local Git host (a test's own path: nothing else reads it). */
export async function publishGitFile(path: string, body: string): Promise<void> {
  const url = `${env.TEST_CONTROL_PLANE_URL}/__git-file?path=${encodeURIComponent(path)}`;
  await (await fetch(url, { method: 'PUT', body })).body?.cancel();
}

/** Signs what the Git host serves at `path` with the trusted test key and publishes `{path}.sig`. */
export async function signGitFile(path: string): Promise<void> {
  const url = `${env.TEST_CONTROL_PLANE_URL}/__git-sign?path=${encodeURIComponent(path)}`;
  await (await fetch(url, { method: 'PUT' })).body?.cancel();
}
