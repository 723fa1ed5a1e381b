/**
 * The body of GET /api/config, exactly as served: `{ config, version, updatedAt }`, the shape
 * marketplace-core's `parseControlPlaneSnapshot` reads. Kept with its ETag and fetch time.
 */
export interface ConfigAnswer {
  readonly body: string;
  readonly etag: string;
  readonly version?: number;
  /** When the Worker got it from the control plane, epoch ms. */
  readonly fetchedAt: number;
}

/** True when a value read back from storage (KV, the edge cache) is a whole `ConfigAnswer`. */
export function isConfigAnswer(value: unknown): value is ConfigAnswer {
  if (typeof value !== 'object' || value === null) return false;
  const answer = value as Record<string, unknown>;
  return (
    typeof answer.body === 'string' &&
    typeof answer.etag === 'string' &&
    typeof answer.fetchedAt === 'number' &&
    (answer.version === undefined || typeof answer.version === 'number')
  );
}
