import { singleFlight } from '../single-flight.ts';
import { type MirrorDependencies, mirrorRegistry } from './mirror-registry.ts';
import type { RegistrySnapshot, RegistrySnapshotMeta } from './registry-snapshot.ts';
import {
  anyRememberedSnapshot,
  freshRememberedMeta,
  freshRememberedSnapshot,
  rememberMeta,
  rememberSnapshot,
} from './snapshot-memory.ts';
import { readCurrentMeta, readCurrentSnapshot } from './snapshot-store.ts';

/** On a cold start with an empty KV, how soon a failed fetch-through may be tried again. */
export const COLD_RETRY_INTERVAL_MS = 10_000;

/** The registry to serve, or why there is none. */
export type CurrentRegistry =
  | { readonly ok: true; readonly snapshot: RegistrySnapshot }
  | { readonly ok: false; readonly message: string };

/** Every mirror run in an isolate goes through this, so cron, admin and cold starts never overlap. */
export function mirrorOnce(deps: MirrorDependencies): ReturnType<typeof mirrorRegistry> {
  return singleFlight(deps.kv, 'mirror', () => mirrorRegistry(deps));
}

/**
 * The snapshot the hot path serves: from the isolate's memory when fresh, else from KV, else —
 * KV is empty on a brand-new deployment — fetched through from Git once (single flight), stored
 * and served. When KV cannot be read, the last snapshot this isolate saw is served.
 *
 * @example
 * const current = await currentRegistry(deps);
 * if (current.ok) return new Response(current.snapshot.bytes);
 */
export async function currentRegistry(deps: MirrorDependencies): Promise<CurrentRegistry> {
  const { kv, platform } = deps;
  const remembered = freshRememberedSnapshot(kv, platform.now());
  if (remembered !== undefined) return { ok: true, snapshot: remembered };
  let stored: RegistrySnapshot | undefined;
  try {
    stored = await readCurrentSnapshot(kv);
  } catch (cause) {
    const fallback = anyRememberedSnapshot(kv);
    if (fallback !== undefined) return { ok: true, snapshot: fallback };
    platform.log('registry_kv_unreadable', {
      message: cause instanceof Error ? cause.message : String(cause),
    });
    return { ok: false, message: 'the registry store cannot be read right now; retry shortly' };
  }
  if (stored !== undefined) {
    rememberSnapshot(kv, stored, platform.now());
    return { ok: true, snapshot: stored };
  }
  // Cold start: honour a retry time Git asked for, and do not retry a failure more than every few
  // seconds, so a burst of cold requests costs Git at most one request.
  const outcome = await mirrorOnce({ ...deps, force: false, minRetryIntervalMs: COLD_RETRY_INTERVAL_MS });
  if (outcome.snapshot !== undefined) return { ok: true, snapshot: outcome.snapshot };
  return { ok: false, message: `no registry mirrored yet: ${outcome.message}` };
}

/** The current registry's metadata, or why there is none. */
export type CurrentRegistryMeta =
  | { readonly ok: true; readonly meta: RegistrySnapshotMeta }
  | { readonly ok: false; readonly message: string };

/**
 * What `GET /api/plugins/:id` needs to find its shard: the current snapshot's metadata, from the
 * isolate's memory when fresh, else from KV without the registry's bytes (`readCurrentMeta`), else
 * as {@link currentRegistry} finds it (KV unreadable, or empty on a brand-new deployment).
 *
 * @example
 * const current = await currentRegistryMeta(deps);
 * if (current.ok) current.meta.pluginShards; // 29
 */
export async function currentRegistryMeta(deps: MirrorDependencies): Promise<CurrentRegistryMeta> {
  const { kv, platform } = deps;
  const remembered =
    freshRememberedSnapshot(kv, platform.now())?.meta ?? freshRememberedMeta(kv, platform.now());
  if (remembered !== undefined) return { ok: true, meta: remembered };
  const stored = await readCurrentMeta(kv).catch(() => undefined);
  if (stored !== undefined) {
    rememberMeta(kv, stored, platform.now());
    return { ok: true, meta: stored };
  }
  const current = await currentRegistry(deps);
  return current.ok ? { ok: true, meta: current.snapshot.meta } : current;
}
