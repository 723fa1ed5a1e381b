import { USAGE_REPORT_LIMITS } from '@cartae/marketplace-core';
import type { Clock } from '../platform/platform.ts';
import { buildUsageReport } from './build-usage-report.ts';
import { installDay, utcDay } from './install-day.ts';
import { reportDue } from './report-schedule.ts';
import { UsageCollector } from './usage-collector.ts';
import type { OutgoingUsageReport, UsageReportOutbox } from './usage-report-outbox.ts';

/** What a report needs from the running resolver, known once it is ready. */
export interface UsageSession {
  /** Hashed with the UTC day into `installDay`; never sent. */
  readonly installId: string;
  /** The config version in use right now. */
  readonly configVersion: () => number | undefined;
}

/**
 * Fleet telemetry for one resolver: the collector the request path feeds, and the outbox the
 * HTTP config provider empties, one closed minute per poll at most once a minute
 * (`reportDue`). Reports wait only in memory: at most a few closed minutes, lost on exit.
 *
 * @example
 * const usage = new UsageReporter(platform.clock);
 * httpConfigProvider(configUrl, { reports: usage });
 * usage.start({ installId, configVersion: () => config.get().version });
 */
export class UsageReporter implements UsageReportOutbox {
  readonly collector = new UsageCollector(() => this.session?.configVersion());
  private session: UsageSession | undefined;
  private lastSentAt: number | undefined;
  private day: { readonly day: string; readonly hash: string } | undefined;

  constructor(private readonly clock: Clock) {}

  /** Reports can be built from now on. */
  start(session: UsageSession): void {
    this.session = session;
  }

  async next(): Promise<OutgoingUsageReport | undefined> {
    const session = this.session;
    if (session === undefined || !this.collector.active) return undefined;
    const now = this.clock.now();
    const closed = this.collector.closedMinutes(now);
    const due = reportDue(
      closed.map((m) => m.minute),
      this.lastSentAt,
      now,
    );
    for (const minute of due.expired) this.collector.discard(minute);
    const usage = closed.find((m) => m.minute === due.send);
    if (usage === undefined) return undefined;
    const hash = await this.installDayOf(session.installId, usage.minute);
    if (hash === undefined) {
      // No WebCrypto: the id cannot be hashed, and is never sent in clear. No telemetry at all.
      this.collector.stop();
      return undefined;
    }
    const body = JSON.stringify(buildUsageReport(usage, hash));
    if (body.length > USAGE_REPORT_LIMITS.maxBytes) {
      this.collector.discard(usage.minute);
      return undefined;
    }
    this.lastSentAt = now;
    return { body, delivered: () => this.collector.remove(usage.minute) };
  }

  refused(): void {
    this.collector.stop();
  }

  /** Minutes dropped unsent (bounded memory, too old, or refused), for tests and diagnostics. */
  get dropped(): number {
    return this.collector.dropped;
  }

  private async installDayOf(installId: string, minute: number): Promise<string | undefined> {
    const day = utcDay(minute);
    if (this.day?.day === day) return this.day.hash;
    const hash = await installDay(installId, minute);
    if (hash !== undefined) this.day = { day, hash };
    return hash;
  }
}
