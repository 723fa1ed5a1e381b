import { RateLimitWindow } from '@cartae/local-git-host';
import { SimulatedResponse } from './simulated-response.ts';

const WINDOW_CLOCK_OFFSET = 86_400_000;

/** A period when Git refuses every address of the fleet, in simulation ms. */
export interface GitOutageWindow {
  readonly from: number;
  readonly until: number;
  readonly retryAfterSeconds: number;
}

/**
 * raw.githubusercontent.com as the fleet sees it: an unauthenticated quota per public address
 * (the project's own fixed-window `RateLimitWindow`, as the local Git host uses), GitHub-style
 * `x-ratelimit-*` headers on every answer, 429 + `retry-after` once the quota is spent, and an
 * optional episode during which every address gets 429 (abuse detection, a secondary limit).
 */
export class GitHostModel {
  private readonly windows: (RateLimitWindow | undefined)[];

  constructor(
    addressCount: number,
    private readonly limitPerHour: number,
    private readonly episode: GitOutageWindow | undefined,
  ) {
    this.windows = new Array(addressCount);
  }

  /** True while the rate-limit episode lasts. */
  inEpisode(now: number): boolean {
    return this.episode !== undefined && now >= this.episode.from && now < this.episode.until;
  }

  /** Answers one request from `address` at `now` (a sim-relative time; headers use it as epoch ms). */
  respond(address: number, now: number): SimulatedResponse {
    const episode = this.episode;
    if (episode !== undefined && now >= episode.from && now < episode.until) {
      // What the local Git host sends for its scripted 'rate-limited' behaviour.
      return new SimulatedResponse(429, {
        'retry-after': String(episode.retryAfterSeconds),
        'x-ratelimit-limit': String(this.limitPerHour),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.ceil((now + episode.retryAfterSeconds * 1000) / 1000)),
      });
    }
    let window = this.windows[address];
    if (window === undefined) {
      window = new RateLimitWindow(this.limitPerHour, 3_600_000);
      this.windows[address] = window;
    }
    // The window counts from its first request; shift the clock so none starts "at epoch 0".
    const taken = window.take(now + WINDOW_CLOCK_OFFSET);
    const quota = { ...taken, resetAt: taken.resetAt - WINDOW_CLOCK_OFFSET };
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(this.limitPerHour),
      'x-ratelimit-remaining': String(quota.remaining),
      'x-ratelimit-reset': String(Math.ceil(quota.resetAt / 1000)),
    };
    if (quota.allowed) return new SimulatedResponse(200, headers);
    headers['retry-after'] = String(Math.max(1, Math.ceil((quota.resetAt - now) / 1000)));
    return new SimulatedResponse(429, headers);
  }
}
