import { createHash } from 'node:crypto';
import { parseUsageReport, type UsageReport } from '@cartae/marketplace-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeClock } from '../../test/support/fake-clock.ts';
import { SDK_VERSION } from './sdk-version.ts';
import { UsageReporter } from './usage-reporter.ts';

const M = 60_000;
const T = Date.UTC(2026, 10, 30, 12, 0); // a minute boundary
const ID = 'install-3f9a1c77';
const OK = { ok: true, rateLimited: false, timeout: false, notModified: false, refused: false };

afterEach(() => {
  vi.unstubAllGlobals();
});

function setUp() {
  const clock = createFakeClock(T + 5_000);
  const reporter = new UsageReporter(clock);
  reporter.start({ installId: ID, configVersion: () => 12 });
  /** One successful Git attempt now. */
  const traffic = () => reporter.collector.attempt('git', OK, 80, clock.now());
  /** The report the poll at this moment would carry, parsed as the Worker parses it. */
  const next = async () => {
    const report = await reporter.next();
    if (report === undefined) return undefined;
    const parsed = parseUsageReport(report.body, clock.now());
    if (!parsed.ok) throw parsed.error;
    return { report, value: parsed.value };
  };
  return { clock, reporter, traffic, next };
}

describe('UsageReporter', () => {
  it('reports a closed minute only, in the contract, with the day hash and never the install id', async () => {
    const { clock, traffic, next } = setUp();
    traffic();
    traffic();
    expect(await next()).toBeUndefined(); // the minute is still open
    clock.advance(M);
    const sent = await next();
    expect(sent?.value).toEqual<UsageReport>({
      schemaVersion: 1,
      sdkVersion: SDK_VERSION,
      configVersion: 12,
      installDay: createHash('sha256').update(`${ID}:2026-11-30`).digest('hex').slice(0, 16),
      minute: T,
      staleServes: 0,
      sources: {
        git: {
          requests: 2,
          successes: 2,
          notModified: 0,
          errors: 0,
          rateLimited: 0,
          timeouts: 0,
          refused: 0,
          fallbacks: 0,
          latency: [0, 2, 0, 0, 0, 0, 0, 0],
        },
      },
    });
    expect(sent?.report.body).not.toContain(ID);
  });

  it('a delivered minute is reported once; at most one report a wall-clock minute, the newest first', async () => {
    const { clock, reporter, traffic, next } = setUp();
    traffic();
    clock.advance(M);
    traffic();
    clock.advance(M); // two closed minutes wait: T and T+1
    const first = await next();
    expect(first?.value.minute).toBe(T + M);
    first?.report.delivered();
    clock.advance(15_000);
    expect(await next()).toBeUndefined(); // same wall-clock minute
    clock.advance(M);
    const second = await next();
    expect(second?.value.minute).toBe(T);
    second?.report.delivered();
    clock.advance(M);
    expect(await next()).toBeUndefined();
    expect(reporter.dropped).toBe(0);
  });

  it('a report not delivered stays for a later minute; one too old for the edge is dropped', async () => {
    const { clock, reporter, traffic, next } = setUp();
    traffic();
    clock.advance(M);
    expect((await next())?.value.minute).toBe(T); // the poll that carried it failed: not delivered
    clock.advance(M);
    expect((await next())?.value.minute).toBe(T);
    clock.advance(15 * M);
    expect(await next()).toBeUndefined();
    expect(reporter.dropped).toBe(1);
  });

  it('refused() ends reports for the session', async () => {
    const { clock, reporter, traffic, next } = setUp();
    traffic();
    clock.advance(M);
    reporter.refused();
    traffic();
    clock.advance(M);
    expect(await next()).toBeUndefined();
    expect(reporter.collector.active).toBe(false);
  });

  it('nothing before start(), and nothing at all without WebCrypto (the id is never sent in clear)', async () => {
    const clock = createFakeClock(T);
    const reporter = new UsageReporter(clock);
    reporter.collector.attempt('git', OK, 80, clock.now());
    clock.advance(M);
    expect(await reporter.next()).toBeUndefined();
    vi.stubGlobal('crypto', undefined);
    reporter.start({ installId: ID, configVersion: () => 1 });
    expect(await reporter.next()).toBeUndefined();
    expect(reporter.collector.active).toBe(false);
  });
});
