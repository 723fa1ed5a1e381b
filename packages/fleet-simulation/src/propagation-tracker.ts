import { percentile } from './percentile.ts';
import type { PropagationReport } from './simulation-report.ts';

/**
 * How fast apps open at a config write adopt it: each app open then is pending until it holds
 * the written version (or a later one), or closes first (counted apart, not in the percentiles).
 */
export class PropagationTracker {
  private readonly pending: Uint8Array;
  private readonly samples: number[] = [];
  private runningAtWrite = 0;
  private closedBeforeAdopting = 0;
  /** When the version was written, simulation ms; +Infinity until it is. */
  private writtenAt = Number.POSITIVE_INFINITY;
  private target = Number.POSITIVE_INFINITY;

  constructor(installs: number) {
    this.pending = new Uint8Array(installs);
  }

  /** The version apps should adopt, written at `at`. Call before `openAt`. */
  written(version: number, at: number): void {
    this.target = version;
    this.writtenAt = at;
  }

  get started(): boolean {
    return Number.isFinite(this.writtenAt);
  }

  /** At the write: an app open then, holding `version`. */
  openAt(install: number, version: number): void {
    this.runningAtWrite++;
    if (version >= this.target) this.samples.push(0);
    else this.pending[install] = 1;
  }

  /** An app now holds config `version`. */
  adopted(install: number, version: number, now: number): void {
    if (version >= this.target && this.pending[install] === 1) {
      this.pending[install] = 0;
      this.samples.push(now - this.writtenAt);
    }
  }

  /** An app closed. */
  closed(install: number): void {
    if (this.pending[install] === 1) {
      this.pending[install] = 0;
      this.closedBeforeAdopting++;
    }
  }

  report(): PropagationReport | null {
    if (!this.started) return null;
    const sorted = Float64Array.from(this.samples).sort();
    const at = (p: number) => (sorted.length ? Math.round(percentile(sorted, p)) : null);
    return {
      runningAtSwitch: this.runningAtWrite,
      adopted: sorted.length,
      closedBeforeAdopting: this.closedBeforeAdopting,
      p50Ms: at(50),
      p90Ms: at(90),
      p99Ms: at(99),
      maxMs: sorted.length ? Math.round(sorted[sorted.length - 1] as number) : null,
    };
  }
}
