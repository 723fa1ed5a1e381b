import type { ControlPlane } from './control-plane.ts';

/**
 * The Worker's `GET /api/config` in each data centre: an answer from Supabase is kept in the
 * Cache API for `CONFIG_CACHE_SECONDS` from when it arrives. As the Worker is written today,
 * requests that find no fresh copy — including those arriving while a first miss still waits for
 * Supabase — each go to Supabase. With `singleFlight`, they wait for the fill instead (what a
 * request-coalescing Worker would do).
 */
export class EdgeConfigCache {
  private readonly version: Int32Array;
  /** When each data centre's copy arrives (a miss in flight) and when it expires. */
  private readonly storedAt: Float64Array;
  private readonly expiresAt: Float64Array;

  /** How long the last `read` waited at the edge beyond the app↔edge round trip, ms. */
  lastReadWaitMs = 0;

  constructor(
    locations: number,
    private readonly cacheMs: number,
    private readonly supabaseLatencyMs: number,
    private readonly singleFlight: boolean,
    private readonly controlPlane: ControlPlane,
    /** Called for every request that reaches Supabase; `duplicate` while another fill is in flight. */
    private readonly onControlPlaneRequest: (now: number, duplicate: boolean) => void,
  ) {
    this.version = new Int32Array(locations);
    this.storedAt = new Float64Array(locations).fill(Number.NEGATIVE_INFINITY);
    this.expiresAt = new Float64Array(locations).fill(Number.NEGATIVE_INFINITY);
  }

  /** The config version the data centre answers with at `now`. */
  read(location: number, now: number): number {
    const storedAt = this.storedAt[location] as number;
    if (now >= storedAt && now < (this.expiresAt[location] as number)) {
      this.lastReadWaitMs = 0;
      return this.version[location] as number;
    }
    const fillPending = now < storedAt;
    if (fillPending && this.singleFlight) {
      this.lastReadWaitMs = storedAt - now;
      return this.version[location] as number;
    }
    this.onControlPlaneRequest(now, fillPending);
    this.lastReadWaitMs = this.supabaseLatencyMs;
    const version = this.controlPlane.versionAt(now);
    // A fill already on its way arrives first; this answer is then served but not stored.
    if (this.cacheMs > 0 && !fillPending) {
      const arrives = now + this.supabaseLatencyMs;
      this.version[location] = version;
      this.storedAt[location] = arrives;
      this.expiresAt[location] = arrives + this.cacheMs;
    }
    return version;
  }
}
