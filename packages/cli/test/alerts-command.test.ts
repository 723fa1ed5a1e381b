import { type RunningStandIn, startSupabaseStandIn } from '@cartae/local-supabase';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, startCli } from './support/run-cli.ts';

// A stand-in of its own: the feed is counted from empty.
let standIn: RunningStandIn;
let service: SupabaseClient;
let env: Record<string, string>;
let admin: Record<string, string>;
beforeAll(async () => {
  standIn = await startSupabaseStandIn();
  await standIn.createUser({ email: 'ops@cartae.test', password: 'ops-password', admin: true });
  await standIn.createUser({ email: 'viewer@cartae.test', password: 'viewer-password' });
  env = { SUPABASE_URL: standIn.url, SUPABASE_ANON_KEY: standIn.anonKey };
  admin = { ...env, CARTAE_ADMIN_EMAIL: 'ops@cartae.test', CARTAE_ADMIN_PASSWORD: 'ops-password' };
  service = createClient(standIn.url, standIn.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
}, 60_000);
afterAll(async () => {
  await standIn?.close();
});

/** Adds an alert as the Worker does: `record_fleet_alert` with the service key. */
async function record(event: string, text: string): Promise<number> {
  const { data, error } = await service.rpc('record_fleet_alert', { p_alert: { event, text } });
  if (error) throw new Error(error.message);
  return Number(data);
}

/** `2026-11-30 23:12:07` for an ISO time in Asia/Kolkata (UTC+5:30 all year). */
function kolkata(iso: string): string {
  return new Date(Date.parse(iso) + 330 * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

interface Alert {
  id: number;
  at: string;
  event: string;
  text: string;
}

describe('cartae-marketplace alerts', { timeout: 60_000 }, () => {
  it('says when there is nothing yet; --json is an empty list', async () => {
    const human = await cli(['alerts'], admin);
    expect(human.code).toBe(0);
    expect(human.stdout).toBe('no alerts yet\n');
    expect(JSON.parse((await cli(['--json', 'alerts'], admin)).stdout)).toEqual([]);
  });

  it('lists the feed newest first, in local time, the event in words; --limit', async () => {
    await record(
      'auto-switch',
      'Git rate-limited for 82 % of requests: switched the fleet to hybrid (CDN first)',
    );
    expect((await cli(['automation', 'pause', '--yes'], admin)).code).toBe(0);
    await record('source-unhealthy', 'git: errors 31 % of requests over 5 min');

    const json = JSON.parse((await cli(['--json', 'alerts'], admin)).stdout) as Alert[];
    expect(json.map((a) => a.event)).toEqual(['source-unhealthy', 'settings-changed', 'auto-switch']);

    const human = await cli(['alerts'], { ...admin, TZ: 'Asia/Kolkata' });
    expect(human.code).toBe(0);
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      `#${json[0]?.id}  ${kolkata(json[0]?.at ?? '')}  Source unhealthy    git: errors 31 % of requests over 5 min`,
      `#${json[1]?.id}  ${kolkata(json[1]?.at ?? '')}  Settings changed    ops@cartae.test paused the fleet automation (no automatic switch, rollback or promotion until resumed)`,
      `#${json[2]?.id}  ${kolkata(json[2]?.at ?? '')}  Automatic switch    Git rate-limited for 82 % of requests: switched the fleet to hybrid (CDN first)`,
    ]);

    const one = await cli(['alerts', '--limit', '1'], admin);
    expect(one.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(one.stdout).toContain('Source unhealthy');
    const wrong = await cli(['alerts', '--limit', '0'], admin);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--limit must be a whole number from 1 to 500');
  });

  it('--watch prints the latest, then each new alert as it comes; Ctrl-C ends it with 0', async () => {
    const run = startCli(['alerts', '--watch', '--limit', '2', '--interval', '1'], admin);
    await expect.poll(() => run.out.stderr, { timeout: 20_000 }).toContain('Ctrl-C stops');
    // Oldest first, as a log grows.
    const withoutTime = (l: string) => l.replace(/^#\d+ {2}[\d-]+ [\d:]+ {2}/, '');
    expect(run.out.stdout.trimEnd().split('\n').map(withoutTime)).toEqual([
      'Settings changed    ops@cartae.test paused the fleet automation (no automatic switch, rollback or promotion until resumed)',
      'Source unhealthy    git: errors 31 % of requests over 5 min',
    ]);
    await record('mirror-failing', 'the Git mirror failed twice in a row');
    expect((await cli(['automation', 'resume', '--yes'], admin)).code).toBe(0);
    await expect.poll(() => run.out.stdout, { timeout: 20_000 }).toContain('resumed the fleet automation');
    const lines = run.out.stdout.trimEnd().split('\n');
    expect(lines.slice(2).map(withoutTime)).toEqual([
      'Mirror failing      the Git mirror failed twice in a row',
      'Settings changed    ops@cartae.test resumed the fleet automation',
    ]);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('--watch --json: one JSON line per alert', async () => {
    const run = startCli(['--json', 'alerts', '--watch', '--limit', '1', '--interval', '1'], admin);
    await expect.poll(() => run.out.stdout, { timeout: 20_000 }).toContain('\n');
    await record('mirror-recovered', 'the Git mirror works again');
    await expect.poll(() => run.out.stdout.trimEnd().split('\n').length, { timeout: 20_000 }).toBe(2);
    const [first, second] = run.out.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Alert);
    expect(first).toMatchObject({ event: 'settings-changed' });
    expect(second).toMatchObject({ event: 'mirror-recovered', text: 'the Git mirror works again' });
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('is for admins only', async () => {
    const viewer = await cli(['alerts'], {
      ...env,
      CARTAE_ADMIN_EMAIL: 'viewer@cartae.test',
      CARTAE_ADMIN_PASSWORD: 'viewer-password',
    });
    expect(viewer.code).toBe(3);
    expect(viewer.stderr).toMatch(/not a marketplace admin/);
    const anonymous = await cli(['alerts'], env);
    expect(anonymous.code).toBe(2);
  });
});
