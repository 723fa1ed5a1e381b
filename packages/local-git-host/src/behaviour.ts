/**
 * What the host does for a path. `serve` is the normal GitHub-like answer; the others let a
 * test or a demo script every failure a real Git host shows.
 */
export type Behaviour =
  | { readonly kind: 'serve' }
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly headers?: Record<string, string>;
      readonly body?: string;
    }
  /** 429 (or 403 with `x-ratelimit-remaining: 0` when `as403`), GitHub style. */
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds?: number; readonly as403?: boolean }
  /** Accepts the request and never answers. */
  | { readonly kind: 'hang' }
  /**
   * Sends a 200 with the first `bytes` of the file, then keeps the connection open and silent.
   * `stall` and `truncate` send the identity bytes, so `bytes` counts the file's own bytes.
   */
  | { readonly kind: 'stall'; readonly bytes: number }
  /** Sends a 200 with the first `bytes` of the file, then closes the connection. */
  | { readonly kind: 'truncate'; readonly bytes: number }
  /** Answers 200 with this body instead of the file (HTML error pages, garbage, …). */
  | { readonly kind: 'body'; readonly body: string; readonly contentType?: string }
  /**
   * Serves the file (gzipped when accepted, like `serve`) at `bytesPerSecond`, in steady chunks: a
   * slow network that keeps making progress.
   */
  | { readonly kind: 'throttle'; readonly bytesPerSecond: number }
  /** Waits `ms` then serves normally. */
  | { readonly kind: 'delay'; readonly ms: number };

export const SERVE: Behaviour = { kind: 'serve' };
