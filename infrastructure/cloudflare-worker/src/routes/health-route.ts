import type { AppContext } from '../app-env.ts';
import { automationHealth } from '../automation/automation-health.ts';
import { readLastGoodConfig } from '../config/last-good-config.ts';
import { HEALTHY_MIRROR_RESULTS, readMirrorStatus } from '../registry/mirror-status.ts';
import { registrySignatureHealth } from '../registry/signature-health.ts';
import { anyRememberedSnapshot } from '../registry/snapshot-memory.ts';
import { readCurrentSnapshot } from '../registry/snapshot-store.ts';
import { readUsageHealth } from '../usage/usage-health.ts';

const iso = (epochMs: number | undefined) => (epochMs === undefined ? null : new Date(epochMs).toISOString());

/**
 * GET /health: `ok` when a registry is served and the last mirror run succeeded, `degraded` when
 * a registry is served but the last run failed (or vars are wrong), `unavailable` (503) when there
 * is no registry to serve. `registry.signed` and `registry.signature` say whether the served
 * registry has a signature file and by which keys (`verifiedBy`: the one REGISTRY_TRUSTED_KEYS
 * verified; without trusted keys the file is served unchecked). `usage` reports fleet telemetry (off, or each shard's last delivery to
 * the control plane); `automation` the once-a-minute fleet evaluation and alerts (on, off, or a
 * refused webhook URL). Neither changes `status`, which is about what apps are served.
 */
export async function serveHealth(c: AppContext): Promise<Response> {
  const kv = c.env.REGISTRY_KV;
  const now = c.var.platform.now();
  const [snapshot, status, config, usage] = await Promise.all([
    readCurrentSnapshot(kv).catch(() => anyRememberedSnapshot(kv)),
    readMirrorStatus(kv),
    readLastGoodConfig(kv),
    readUsageHealth(c.env, c.var.settings),
  ]);
  const problems = [...c.var.settings.problems];
  const mirrorHealthy = status === undefined || HEALTHY_MIRROR_RESULTS.includes(status.lastResult);
  const state =
    snapshot === undefined ? 'unavailable' : mirrorHealthy && problems.length === 0 ? 'ok' : 'degraded';
  const body = {
    status: state,
    registry:
      snapshot === undefined
        ? null
        : {
            version: snapshot.meta.version,
            etag: snapshot.meta.etag,
            bytes: snapshot.meta.size,
            storedAt: iso(snapshot.meta.storedAt),
            ...registrySignatureHealth(snapshot, c.var.settings),
          },
    lastSync:
      status === undefined
        ? null
        : {
            at: iso(status.lastAttemptAt),
            result: status.lastResult,
            message: status.lastMessage,
            lastSuccessAt: iso(status.lastSuccessAt),
            consecutiveFailures: status.consecutiveFailures,
            retryAt: iso(status.retryAt),
          },
    config:
      config === undefined
        ? null
        : {
            version: config.version ?? null,
            fetchedAt: iso(config.fetchedAt),
            ageSeconds: Math.max(0, Math.floor((now - config.fetchedAt) / 1000)),
          },
    usage,
    automation: automationHealth(c.env, c.var.settings),
    problems,
    now: iso(now),
  };
  return c.json(body, state === 'unavailable' ? 503 : 200, { 'cache-control': 'no-store' });
}
