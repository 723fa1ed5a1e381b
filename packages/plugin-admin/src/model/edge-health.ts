/** What the admin shows of the CDN Worker's `GET /health` (infrastructure/cloudflare-worker, routes/health-route.ts). */
export interface EdgeHealth {
  readonly status: 'ok' | 'degraded' | 'unavailable' | 'unknown';
  /** The registry the CDN serves now: its version, when it was stored, who signed it. */
  readonly registry: {
    readonly version: number;
    readonly storedAt: string | null;
    readonly signedBy: string | null;
  } | null;
  /** The last mirror run from Git. */
  readonly mirror: {
    readonly at: string | null;
    readonly result: string;
    readonly message: string;
    readonly lastSuccessAt: string | null;
    readonly consecutiveFailures: number;
    readonly retryAt: string | null;
  } | null;
  /** The config version the edge hands to apps. */
  readonly configVersion: number | null;
  readonly problems: readonly string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const count = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/**
 * Reads a `/health` body; whatever is missing or of the wrong type reads as unknown, never a
 * crash (an older Worker, a proxy's page). Pure.
 *
 * @example
 * readEdgeHealth({ status: 'ok', registry: { version: 42 } }).registry?.version; // 42
 */
export function readEdgeHealth(body: unknown): EdgeHealth {
  if (!isRecord(body))
    return { status: 'unknown', registry: null, mirror: null, configVersion: null, problems: [] };
  const status =
    body.status === 'ok' || body.status === 'degraded' || body.status === 'unavailable'
      ? body.status
      : 'unknown';
  const registry =
    isRecord(body.registry) && count(body.registry.version) !== null ? body.registry : undefined;
  const sync =
    isRecord(body.lastSync) && typeof body.lastSync.result === 'string' ? body.lastSync : undefined;
  return {
    status,
    registry: registry
      ? {
          version: count(registry.version) ?? 0,
          storedAt: text(registry.storedAt),
          signedBy: text(registry.signedBy),
        }
      : null,
    mirror: sync
      ? {
          at: text(sync.at),
          result: String(sync.result),
          message: text(sync.message) ?? '',
          lastSuccessAt: text(sync.lastSuccessAt),
          consecutiveFailures: count(sync.consecutiveFailures) ?? 0,
          retryAt: text(sync.retryAt),
        }
      : null,
    configVersion: isRecord(body.config) ? count(body.config.version) : null,
    problems: Array.isArray(body.problems)
      ? body.problems.filter((p): p is string => typeof p === 'string')
      : [],
  };
}

/** The health URL of a CDN base URL (`https://marketplace.cartae.com` → `…/health`). Pure. */
export function edgeHealthUrl(cloudflareUrl: string): string {
  return `${cloudflareUrl.replace(/\/+$/, '')}/health`;
}
