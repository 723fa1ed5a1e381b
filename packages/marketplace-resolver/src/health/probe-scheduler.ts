import type { SourceKind } from '@cartae/marketplace-core';
import type { Clock } from '../platform/platform.ts';

/**
 * Schedules one active probe per ejected source, shortly after its ejection ends (never before:
 * an ejected source gets no traffic until its retry time). The jitter spreads a fleet's probes.
 */
export class ProbeScheduler {
  private readonly timers = new Map<SourceKind, unknown>();

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly probe: (source: SourceKind) => Promise<void>,
  ) {}

  schedule(source: SourceKind, until: number): void {
    this.cancel(source);
    const now = this.clock.now();
    const jitter = Math.min(5000, Math.max(0, until - now) * 0.1) * this.random();
    const delay = Math.max(0, until - now) + jitter;
    this.timers.set(
      source,
      this.clock.setTimeout(() => {
        this.timers.delete(source);
        void this.probe(source);
      }, delay),
    );
  }

  cancel(source: SourceKind): void {
    const timer = this.timers.get(source);
    if (timer !== undefined) this.clock.clearTimeout(timer);
    this.timers.delete(source);
  }

  dispose(): void {
    for (const source of [...this.timers.keys()]) this.cancel(source);
  }
}
