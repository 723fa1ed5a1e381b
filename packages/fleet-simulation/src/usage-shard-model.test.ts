import { describe, expect, it } from 'vitest';
// The Worker's own pure scheduling code, to check the simulation's copy against it.
import * as address from '../../../infrastructure/cloudflare-worker/src/usage/address-rate-limit.ts';
import * as flush from '../../../infrastructure/cloudflare-worker/src/usage/flush-state.ts';
import * as schedule from '../../../infrastructure/cloudflare-worker/src/usage/usage-schedule.ts';
import * as shards from '../../../infrastructure/cloudflare-worker/src/usage/usage-shard.ts';
import { REPORTS_PER_ADDRESS, takeToken } from './usage-pipeline.ts';
import {
  CHECKPOINT_MS,
  DEFAULT_USAGE_SHARDS,
  lastClosedMinute,
  MIN_FLUSH_GAP_MS,
  MINUTE_MS,
  minuteClosesAt,
  nextAlarmAt,
  SETTLE_MS,
  type UsageRowSums,
  UsageShardModel,
  type WriteCause,
} from './usage-shard-model.ts';

const MINUTE = 60_000;

describe('the usage shard model follows the Worker', () => {
  it('uses the Worker’s constants and timing', () => {
    expect([MINUTE_MS, SETTLE_MS, CHECKPOINT_MS]).toEqual([
      schedule.MINUTE_MS,
      schedule.SETTLE_MS,
      schedule.CHECKPOINT_MS,
    ]);
    expect(MIN_FLUSH_GAP_MS).toBe(flush.MIN_FLUSH_GAP_MS);
    expect(DEFAULT_USAGE_SHARDS).toBe(shards.DEFAULT_USAGE_SHARDS);
    expect(REPORTS_PER_ADDRESS).toEqual(address.REPORTS_PER_ADDRESS);
    for (const now of [0, 59_999, 90_000, 150_001, 3_600_000 + 12_345]) {
      expect(lastClosedMinute(now)).toBe(schedule.lastClosedMinute(now));
      expect(minuteClosesAt(now - (now % MINUTE))).toBe(schedule.minuteClosesAt(now - (now % MINUTE)));
    }
  });

  it('schedules alarms as the Worker’s nextAlarmAt does', () => {
    const cases = [
      { earliestOpenMinute: 600_000, unsavedSince: undefined, hasPending: false, deliveredAt: undefined },
      { earliestOpenMinute: 600_000, unsavedSince: 640_000, hasPending: false, deliveredAt: undefined },
      { earliestOpenMinute: undefined, unsavedSince: undefined, hasPending: true, deliveredAt: 630_000 },
      { earliestOpenMinute: undefined, unsavedSince: undefined, hasPending: true, deliveredAt: undefined },
      { earliestOpenMinute: undefined, unsavedSince: undefined, hasPending: false, deliveredAt: 630_000 },
    ];
    for (const c of cases) {
      const state: flush.FlushState =
        c.deliveredAt === undefined ? flush.IDLE_FLUSH : { kind: 'delivered', at: c.deliveredAt, rows: 1 };
      expect(nextAlarmAt(c, 650_000)).toBe(schedule.nextAlarmAt({ ...c, flush: state }, 650_000));
    }
  });

  it('takes tokens as the Worker’s per-address limit does', () => {
    let ours: ReturnType<typeof takeToken>['bucket'] | undefined;
    let theirs: address.TokenBucket | undefined;
    for (const now of [0, 1, 2, 3, 4, 5, 6, 12_000, 12_001, 30_000, 90_000]) {
      const a = takeToken(ours, now);
      const b = address.takeToken(theirs, now, address.REPORTS_PER_ADDRESS);
      expect(a).toEqual(b);
      ours = a.bucket;
      theirs = b.bucket;
    }
  });
});

/** A shard with its alarms run by hand. */
function harness() {
  const alarms: { at: number; token: number }[] = [];
  const rows: Record<WriteCause, number> = { checkpoint: 0, close: 0, flush: 0, state: 0 };
  const delivered: { at: number; rows: readonly UsageRowSums[] }[] = [];
  let checkpoints = 0;
  const shard = new UsageShardModel(0, {
    setAlarm: (_s, at, token) => alarms.push({ at, token }),
    rowsWritten: (_now, n, cause) => {
      rows[cause] += n;
    },
    checkpointed: () => checkpoints++,
    deliver: (at, r) => delivered.push({ at, rows: r }),
  });
  /** Runs the latest alarm set (earlier ones were replaced). */
  const runAlarm = () => {
    const next = alarms.at(-1);
    if (next) shard.alarm(next.token, next.at);
    return next?.at;
  };
  return { shard, alarms, rows, delivered, runAlarm, checkpoints: () => checkpoints };
}

describe('UsageShardModel', () => {
  it('checkpoints the first report at once, then at most every 10 s', () => {
    const h = harness();
    const m = 10 * MINUTE;
    h.shard.add(1, m, 1, [{ source: 'git', requests: 2, rateLimited: 1 }], m + 61_000);
    expect(h.checkpoints()).toBe(1);
    h.shard.add(2, m, 1, [{ source: 'git', requests: 1, rateLimited: 0 }], m + 65_000);
    expect(h.checkpoints()).toBe(1);
    // The checkpoint alarm, 10 s after the unsaved report.
    expect(h.alarms.at(-1)?.at).toBe(m + 75_000);
    expect(h.runAlarm()).toBe(m + 75_000);
    expect(h.checkpoints()).toBe(2);
    expect(h.delivered).toHaveLength(0);
  });

  it('closes a minute 30 s after its end and sends its rows in one call, counting installs once', () => {
    const h = harness();
    const m = 10 * MINUTE;
    h.shard.add(1, m, 1, [{ source: 'git', requests: 2, rateLimited: 2 }], m + 61_000);
    h.shard.add(1, m, 1, [{ source: 'git', requests: 1, rateLimited: 1 }], m + 62_000);
    h.shard.add(
      2,
      m,
      1,
      [
        { source: 'git', requests: 1, rateLimited: 0 },
        { source: 'cloudflare', requests: 1, rateLimited: 0 },
      ],
      m + 63_000,
    );
    while (h.delivered.length === 0) h.runAlarm();
    expect(h.delivered[0]?.at).toBe(m + 90_000);
    const git = h.delivered[0]?.rows.find((r) => r.source === 'git');
    expect(git).toMatchObject({ requests: 4, rateLimited: 3, installs: 2, rateLimitedInstalls: 1 });
    expect(h.delivered[0]?.rows).toHaveLength(2);
    // A report for that minute now is late.
    expect(h.shard.add(3, m, 1, [{ source: 'git', requests: 1, rateLimited: 0 }], m + 95_000)).toBe('late');
    expect(h.rows.flush).toBe(1 + 2 + 1);
    expect(h.rows.close).toBeGreaterThan(0);
  });

  it('calls the control plane at most once a minute', () => {
    const h = harness();
    // Reports for many minutes, two closing 10 s apart.
    for (let m = 0; m < 30; m++) {
      h.shard.add(m, m * MINUTE, 1, [{ source: 'git', requests: 1, rateLimited: 0 }], m * MINUTE + 61_000);
      h.shard.add(m, m * MINUTE, 1, [{ source: 'git', requests: 1, rateLimited: 0 }], m * MINUTE + 70_000);
      for (let i = 0; i < 4; i++) {
        const next = h.alarms.at(-1);
        if (next && next.at <= (m + 1) * MINUTE + 61_000) h.shard.alarm(next.token, next.at);
      }
    }
    const times = h.delivered.map((d) => d.at);
    for (let i = 1; i < times.length; i++) {
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(MIN_FLUSH_GAP_MS);
    }
    expect(times.length).toBeGreaterThan(20);
  });
});
