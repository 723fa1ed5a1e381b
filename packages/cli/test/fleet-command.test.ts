import { type RunningStandIn, startSupabaseStandIn } from '@cartae/local-supabase';
import type { UsageAggregateRow } from '@cartae/marketplace-core';
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minutesAgo, usageRow as row } from '../../../tests/fixtures/usage-rows.ts';
import { cli, startCli } from './support/run-cli.ts';

// A stand-in of its own: the control-plane tests switch the config version meanwhile.
let standIn: RunningStandIn;
let env: Record<string, string>;
let admin: Record<string, string>;
beforeAll(async () => {
  standIn = await startSupabaseStandIn();
  await standIn.createUser({ email: 'ops@cartae.test', password: 'ops-password', admin: true });
  await standIn.createUser({ email: 'viewer@cartae.test', password: 'viewer-password' });
  env = { SUPABASE_URL: standIn.url, SUPABASE_ANON_KEY: standIn.anonKey };
  admin = { ...env, CARTAE_ADMIN_EMAIL: 'ops@cartae.test', CARTAE_ADMIN_PASSWORD: 'ops-password' };
}, 60_000);
afterAll(async () => {
  await standIn?.close();
});

/** Writes rows as the Worker does: `ingest_usage_aggregates` with the service key. */
async function ingest(rows: UsageAggregateRow[]) {
  const service = createClient(standIn.url, standIn.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const { error } = await service.rpc('ingest_usage_aggregates', { p_rows: rows });
  if (error) throw new Error(error.message);
}

async function currentVersion(): Promise<number> {
  const status = await cli(['--json', 'status'], env);
  return (JSON.parse(status.stdout) as { version: number }).version;
}

describe('cartae-marketplace fleet', { timeout: 60_000 }, () => {
  // First, while nothing has reported: the rows written below are never deleted.
  it('before any report says how apps report, and --json says empty', async () => {
    const human = await cli(['fleet'], admin);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      /^Fleet — last hour \(\d{4}-\d\d-\d\d \d\d:\d\d(–| → \d{4}-\d\d-\d\d )\d\d:\d\d UTC\)\n/,
    );
    expect(human.stdout).toContain(
      'No reports yet: apps report through the edge endpoint (configUrl) once a minute.',
    );
    const json = await cli(['fleet', '--json'], admin);
    expect(JSON.parse(json.stdout)).toMatchObject({
      minutes: 60,
      sources: {},
      series: [],
      versions: [],
      activeInstalls: 0,
      summary: { empty: true, sources: [] },
    });
  });

  it('prints the per-source table, installs and convergence; --json has the same figures', async () => {
    const version = await currentVersion();
    await ingest([
      row(minutesAgo(2), {
        configVersion: version,
        installs: 8,
        requests: 100,
        errors: 5,
        rateLimited: 3,
        fallbacks: 2,
        latency: [60, 20, 10, 4, 2, 0, 0, 4],
        quotaRemaining: 12,
        quotaLimit: 60,
      }),
      row(minutesAgo(2), {
        shard: 1,
        configVersion: 0,
        installs: 2,
        requests: 20,
        latency: [20, 0, 0, 0, 0, 0, 0, 0],
      }),
      row(minutesAgo(2), {
        source: 'cloudflare',
        configVersion: version,
        installs: 3,
        requests: 50,
        staleServes: 1,
        latency: [40, 5, 0, 0, 0, 0, 0, 5],
      }),
    ]);

    const human = await cli(['fleet'], admin);
    expect(human.code).toBe(0);
    const lines = human.stdout.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^\s+Cloudflare CDN\s+Git$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Requests\s+50\s+120$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Errors\s+0 %\s+4\.2 % \(5\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Rate-limited \(429\)\s+0 %\s+2\.5 % \(3\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Latency p95\s+> 5 s\s+≤ 500 ms$/));
    expect(lines).toContainEqual(expect.stringMatching(/^Quota left \(lowest\)\s+—\s+12 \/ 60 left$/));
    expect(human.stdout).toContain('Active installs:  10 (in the latest complete minute)');
    expect(human.stdout).toContain(
      `Config version:   80 % of active installs on v${version} (still on the built-in default: 2 installs)`,
    );

    const json = await cli(['--json', 'fleet'], admin);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      minutes: 60,
      currentVersion: version,
      sources: {
        git: { requests: 120, errors: 5, rateLimited: 3, quotaRemaining: 12, quotaLimit: 60 },
        cloudflare: { requests: 50, latency: [40, 5, 0, 0, 0, 0, 0, 5] },
      },
      versions: [
        { configVersion: version, installs: 8 },
        { configVersion: 0, installs: 2 },
      ],
      activeInstalls: 10,
      staleServes: 1,
      summary: {
        empty: false,
        sources: [
          { source: 'cloudflare', requests: 50, errorShare: 0, p95: { kind: 'over', ms: 5000 } },
          { source: 'git', requests: 120, errorShare: 5 / 120, rateLimitedShare: 3 / 120 },
        ],
        convergence: { currentVersion: version, onCurrent: 8, reporting: 10, share: 0.8 },
      },
    });

    const day = await cli(['--json', 'fleet', '--minutes', '1440'], admin);
    expect(JSON.parse(day.stdout)).toMatchObject({ minutes: 1440, sources: { git: { requests: 120 } } });
    expect((await cli(['fleet', '--minutes', '1440'], admin)).stdout).toMatch(/^Fleet — last day/);

    // Automation reads with the service key, no admin account.
    const automation = await cli(['--json', 'fleet'], {
      ...env,
      SUPABASE_SERVICE_ROLE_KEY: standIn.serviceRoleKey,
    });
    expect(JSON.parse(automation.stdout)).toMatchObject({ activeInstalls: 10 });
  });

  it('exit codes: 3 for a non-admin, 2 for a window out of range or no credentials', async () => {
    const viewer = await cli(['fleet'], {
      ...env,
      CARTAE_ADMIN_EMAIL: 'viewer@cartae.test',
      CARTAE_ADMIN_PASSWORD: 'viewer-password',
    });
    expect(viewer.code).toBe(3);
    expect(viewer.stderr).toMatch(/not a marketplace admin/);
    const viewerJson = await cli(['--json', 'fleet'], {
      ...env,
      CARTAE_ADMIN_EMAIL: 'viewer@cartae.test',
      CARTAE_ADMIN_PASSWORD: 'viewer-password',
    });
    expect(JSON.parse(viewerJson.stdout)).toMatchObject({ exitCode: 3 });

    const tooLong = await cli(['fleet', '--minutes', '10081'], admin);
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toMatch(/--minutes must be a whole number from 1 to 10080/);

    const anonymous = await cli(['fleet'], env);
    expect(anonymous.code).toBe(2);
    expect(anonymous.stderr).toMatch(/needs an admin account or the service key/);
  });

  it('--watch prints a reading, and Ctrl-C ends it with exit code 0', async () => {
    const run = startCli(['--json', 'fleet', '--watch'], admin);
    await expect.poll(() => run.out.stdout, { timeout: 20_000 }).toContain('\n');
    const first = JSON.parse(run.out.stdout.split('\n')[0] ?? '') as { activeInstalls: number };
    expect(first.activeInstalls).toBe(10);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });
});
