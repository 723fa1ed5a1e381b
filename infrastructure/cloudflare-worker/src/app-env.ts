import type { Context } from 'hono';
import type { MirrorDependencies } from './registry/mirror-registry.ts';
import type { WorkerEnv } from './worker-env.ts';
import type { WorkerPlatform } from './worker-platform.ts';
import { readWorkerSettings, type WorkerSettings } from './worker-settings.ts';

/** Hono's view of the Worker: bindings plus the per-request settings and platform. */
export interface AppEnv {
  Bindings: WorkerEnv;
  Variables: { settings: WorkerSettings; platform: WorkerPlatform };
}

export type AppContext = Context<AppEnv>;

const settingsByEnv = new WeakMap<object, WorkerSettings>();

/** Settings for an env, read once per env object (the runtime reuses it across requests). */
export function settingsFor(env: WorkerEnv): WorkerSettings {
  let settings = settingsByEnv.get(env);
  if (settings === undefined) {
    settings = readWorkerSettings(env);
    settingsByEnv.set(env, settings);
  }
  return settings;
}

/** What the mirror needs, from a request's context. */
export function mirrorDependencies(c: AppContext): MirrorDependencies {
  return {
    kv: c.env.REGISTRY_KV,
    settings: c.var.settings,
    githubToken: c.env.GITHUB_TOKEN,
    platform: c.var.platform,
  };
}

/** Lets work finish after the response is sent when the runtime allows it, else waits for it. */
export async function afterResponse(c: AppContext, work: Promise<unknown>): Promise<void> {
  let executionCtx: ExecutionContext | undefined;
  try {
    executionCtx = c.executionCtx as ExecutionContext;
  } catch {
    executionCtx = undefined;
  }
  if (executionCtx) executionCtx.waitUntil(work.catch(() => undefined));
  else await work.catch(() => undefined);
}
