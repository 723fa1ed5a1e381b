import type { HeaderReader } from '@cartae/marketplace-core';

/**
 * A source's answer as the resolver's decision code reads it: a status and the few headers
 * that matter (`x-ratelimit-*`, `retry-after`), without bodies or sockets.
 */
export class SimulatedResponse implements HeaderReader {
  constructor(
    readonly status: number,
    private readonly fields: Readonly<Record<string, string>> = {},
  ) {}

  get(name: string): string | null {
    return this.fields[name] ?? null;
  }
}

/** The CDN's answer: always fine (no outage is simulated). */
export const CDN_OK = new SimulatedResponse(200);
