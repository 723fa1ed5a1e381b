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
