import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningStandIn, startSupabaseStandIn } from '@cartae/local-supabase';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './support/run-cli.ts';

// A stand-in of its own: the fleet settings are one row, and these tests change it.
let standIn: RunningStandIn;
let service: SupabaseClient;
let env: Record<string, string>;
let admin: Record<string, string>;
let viewer: Record<string, string>;
const secrets = mkdtempSync(join(tmpdir(), 'cartae-cli-secret-'));
const SLACK = 'https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXX';

beforeAll(async () => {
  standIn = await startSupabaseStandIn();
  await standIn.createUser({ email: 'ops@cartae.test', password: 'ops-password', admin: true });
  await standIn.createUser({ email: 'viewer@cartae.test', password: 'viewer-password' });
  env = { SUPABASE_URL: standIn.url, SUPABASE_ANON_KEY: standIn.anonKey };
  admin = { ...env, CARTAE_ADMIN_EMAIL: 'ops@cartae.test', CARTAE_ADMIN_PASSWORD: 'ops-password' };
  viewer = { ...env, CARTAE_ADMIN_EMAIL: 'viewer@cartae.test', CARTAE_ADMIN_PASSWORD: 'viewer-password' };
  service = createClient(standIn.url, standIn.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
}, 60_000);
afterAll(async () => {
  await standIn?.close();
});

interface View {
  automationPaused: boolean;
  updatedByEmail: string | null;
  webhook: { url: string | null; secretSet: boolean };
  sourceAlert: { errorPercent: number; windowMinutes: number };
  configVersion: number;
  autoSwitch: Record<string, unknown> | null;
  rolloutGuard: Record<string, unknown> & { default: boolean };
  canaryRamp: Record<string, unknown> | null;
}

async function view(): Promise<View> {
  const shown = await cli(['--json', 'automation'], admin);
  expect(shown.code).toBe(0);
  return JSON.parse(shown.stdout) as View;
}

/** Calls a control-plane function as the service role; answers the error message, if any. */
async function rpc(fn: string, args: Record<string, unknown>) {
  const { data, error } = await service.rpc(fn, args);
  return { data, message: error?.message };
}

/** What the Worker's cron is told about the webhook (the only reader of the secret). */
async function webhookSecret(): Promise<unknown> {
  const { data } = await rpc('evaluate_fleet_automation', {});
  return (data as { alertWebhook: { secret: string | null } | null }).alertWebhook?.secret;
}

async function feed(): Promise<{ event: string; text: string }[]> {
  return JSON.parse((await cli(['--json', 'alerts', '--limit', '100'], admin)).stdout);
}

describe('cartae-marketplace automation', { timeout: 60_000 }, () => {
  it('shows the automation: running, defaults, and --json with the guard marked default', async () => {
    const human = await cli(['automation'], admin);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('automation:    running');
    expect(human.stdout).toContain('auto-switch:   off (not set)');
    expect(human.stdout).toContain(
      'rollout guard: on: rolls a change back when its sources err above 5 % within 10 min (default)',
    );
    expect(human.stdout).toContain('canary ramp:   off (not set)');
    expect(human.stdout).toContain('webhook:       none: alerts go to the feed only');
    expect(human.stdout).toContain(
      'source alert:  a source is unhealthy when its errors exceed 20 % over 5 min',
    );
    expect(await view()).toMatchObject({
      automationPaused: false,
      webhook: { url: null, secretSet: false },
      sourceAlert: { errorPercent: 20, windowMinutes: 5 },
      autoSwitch: null,
      rolloutGuard: { enabled: true, errorPercent: 5, windowMinutes: 10, default: true },
      canaryRamp: null,
    });
  });

  it('pause and resume: asks first, says who paused, a repeat changes nothing', async () => {
    const unconfirmed = await cli(['automation', 'pause'], admin);
    expect(unconfirmed.code).toBe(8);
    expect(unconfirmed.stderr).toMatch(/Pause the fleet automation .* add --yes/s);
    expect((await view()).automationPaused).toBe(false);

    const paused = await cli(['automation', 'pause', '--yes'], admin);
    expect(paused.code).toBe(0);
    expect(paused.stdout).toMatch(/✔ automation paused/);
    expect((await cli(['automation'], admin)).stdout).toMatch(
      /^automation: {4}PAUSED by ops@cartae\.test since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d: no automatic switch/m,
    );
    const { data } = await rpc('evaluate_fleet_automation', {});
    expect(data).toMatchObject({ action: 'none', paused: true });

    const entries = (await feed()).length;
    const again = await cli(['automation', 'pause', '--yes'], admin);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      'The automation is already paused (by ops@cartae.test); nothing was changed.',
    );
    expect((await feed()).length).toBe(entries);

    const resumed = await cli(['--json', 'automation', 'resume'], admin);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      changed: true,
      settings: { automationPaused: false },
    });
    const noop = await cli(['automation', 'resume', '--yes'], admin);
    expect(noop.stdout).toContain('The automation is already running; nothing was changed.');
  });

  it('webhook: refused in the database words; the secret from a file is set and never shown', async () => {
    const refused = await cli(['automation', 'webhook', 'http://alerts.example.com/hook', '--yes'], admin);
    expect(refused.code).toBe(5);
    const { message } = await rpc('update_fleet_settings', {
      p_changes: { webhookUrl: 'http://alerts.example.com/hook' },
    });
    expect(message).toMatch(/^invalid fleet settings: webhookUrl /);
    expect(refused.stderr).toContain(`The fleet settings were refused: ${message}`);
    expect((await view()).webhook).toEqual({ url: null, secretSet: false });

    const secret = 'file-secret-0123456789abcdef';
    const file = join(secrets, 'webhook-secret');
    writeFileSync(file, `${secret}\n`);
    const set = await cli(['automation', 'webhook', SLACK, '--secret-file', file, '--yes'], admin);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('✔ alerts go to https://hooks.slack.com/…, signed with a new secret');
    expect(await webhookSecret()).toBe(secret);

    const human = await cli(['automation'], admin);
    const json = await cli(['--json', 'automation'], admin);
    expect(human.stdout).toContain('webhook:       https://hooks.slack.com/… · signed (secret set)');
    expect(JSON.parse(json.stdout)).toMatchObject({
      webhook: { url: 'https://hooks.slack.com/…', secretSet: true },
    });
    for (const out of [set, human, json]) {
      expect(`${out.stdout}${out.stderr}`).not.toContain(secret);
      expect(`${out.stdout}${out.stderr}`).not.toContain('XXXXXXXXXXXXXXXXXXXX');
    }
    const history = JSON.stringify(await feed());
    expect(history).not.toContain(secret);

    const same = await cli(['automation', 'webhook', SLACK, '--yes'], admin);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('Nothing to change');

    writeFileSync(file, 'short\n');
    const short = await cli(['automation', 'webhook', SLACK, '--secret-file', file, '--yes'], admin);
    expect(short.code).toBe(5);
    expect(short.stderr).toContain(
      'invalid fleet settings: webhookSecret must be 16 to 256 characters without spaces or control characters, or null',
    );
    expect(await webhookSecret()).toBe(secret);

    const twoWays = await cli(
      ['automation', 'webhook', SLACK, '--generate-secret', '--no-secret', '--yes'],
      admin,
    );
    expect(twoWays.code).toBe(2);
    const asArgument = await cli(
      ['automation', 'webhook', SLACK, '--secret', 'plain-text-secret-123'],
      admin,
    );
    expect(asArgument.code).toBe(2);
  });

  it('webhook --generate-secret prints the new secret once; none and --no-secret remove both', async () => {
    const generated = await cli(['--json', 'automation', 'webhook', SLACK, '--generate-secret'], admin);
    expect(generated.code).toBe(0);
    const { secret } = JSON.parse(generated.stdout) as { secret: string };
    expect(secret).toMatch(/^[\w-]{43}$/);
    expect(await webhookSecret()).toBe(secret);
    expect((await cli(['automation'], admin)).stdout).not.toContain(secret);
    expect((await cli(['--json', 'automation'], admin)).stdout).not.toContain(secret);

    const human = await cli(['automation', 'webhook', SLACK, '--generate-secret', '--yes'], admin);
    const printed = human.stdout.trim().split('\n').at(-1) ?? '';
    expect(human.stdout).toContain('shown this once');
    expect(await webhookSecret()).toBe(printed);

    const removed = await cli(['automation', 'webhook', 'none', '--no-secret', '--yes'], admin);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('✔ webhook removed, unsigned (secret removed)');
    expect((await view()).webhook).toEqual({ url: null, secretSet: false });
  });

  it('source-alert: sets the rule, a repeat changes nothing, a wrong window is refused', async () => {
    const set = await cli(
      ['automation', 'source-alert', '--error-percent', '30', '--window', '10', '--yes'],
      admin,
    );
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('✔ source alert: errors above 30 % over 10 min');
    expect((await view()).sourceAlert).toEqual({ errorPercent: 30, windowMinutes: 10 });

    const same = await cli(['automation', 'source-alert', '--window', '10', '--yes'], admin);
    expect(same.stdout).toContain(
      'The source alert already is errors above 30 % over 10 min; nothing was changed.',
    );

    const wrong = await cli(['automation', 'source-alert', '--window', '61', '--yes'], admin);
    expect(wrong.code).toBe(5);
    const { message } = await rpc('update_fleet_settings', {
      p_changes: { sourceAlert: { windowMinutes: 61 } },
    });
    expect(wrong.stderr).toContain(`The fleet settings were refused: ${message}`);
    expect((await view()).sourceAlert).toEqual({ errorPercent: 30, windowMinutes: 10 });

    const nothing = await cli(['automation', 'source-alert'], admin);
    expect(nothing.code).toBe(2);
    const notANumber = await cli(['automation', 'source-alert', '--window', 'ten'], admin);
    expect(notANumber.code).toBe(2);
    expect(notANumber.stderr).toContain('--window must be a number');
  });

  it('auto-switch: shows the diff, saves one version with the reason, a repeat makes none', async () => {
    const before = (await view()).configVersion;
    const unconfirmed = await cli(['automation', 'auto-switch', 'on', '--threshold', '60'], admin);
    expect(unconfirmed.code).toBe(8);
    expect(unconfirmed.stderr).toContain(`(version ${before};`);
    expect(unconfirmed.stderr).toContain('  autoSwitch.enabled: — → true');
    expect(unconfirmed.stderr).toContain('  autoSwitch.rateLimitedPercent: — → 60');

    const on = await cli(
      ['automation', 'auto-switch', 'on', '--threshold', '60', '--reason', 'cli test', '--yes'],
      admin,
    );
    expect(on.code).toBe(0);
    expect(on.stdout).toContain(`✔ auto-switch on: version ${before + 1}`);
    expect(on.stdout).toContain('  autoSwitch.target: — → hybrid-cdn-first');
    const [entry] = JSON.parse((await cli(['--json', 'history', '--limit', '1'], admin)).stdout);
    expect(entry).toMatchObject({
      version: before + 1,
      reason: 'cli test',
      changedByEmail: 'ops@cartae.test',
    });
    expect((await view()).autoSwitch).toEqual({
      enabled: true,
      rateLimitedPercent: 60,
      windowMinutes: 10,
      target: 'hybrid-cdn-first',
    });

    const again = await cli(['automation', 'auto-switch', 'on', '--threshold', '60', '--yes'], admin);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      `Nothing to change: auto-switch on already (version ${before + 1} stays).`,
    );

    const off = await cli(['--json', 'automation', 'auto-switch', 'off'], admin);
    expect(JSON.parse(off.stdout)).toMatchObject({
      changed: true,
      changes: ['autoSwitch.enabled: true → false'],
      config: { version: before + 2 },
    });
  });

  it('a wrong value is refused in the database words and makes no version', async () => {
    const before = await view();
    const wrong = await cli(['automation', 'guard', 'on', '--window', '2000', '--yes'], admin);
    expect(wrong.code).toBe(5);
    // The same document sent to update_app_config: the database's own message.
    const { data } = await rpc('get_marketplace_config', {});
    const current = (Array.isArray(data) ? data[0] : data) as { config_value: Record<string, unknown> };
    const { message } = await rpc('update_app_config', {
      p_config_key: 'marketplace_source',
      p_config_value: {
        ...current.config_value,
        rolloutGuard: { enabled: true, errorPercent: 5, windowMinutes: 2000 },
      },
    });
    expect(message).toContain(
      'rolloutGuard.windowMinutes must be a whole number of minutes between 1 and 1440',
    );
    expect(wrong.stderr).toContain(
      'The configuration was refused: rolloutGuard.windowMinutes must be a whole number of minutes between 1 and 1440',
    );

    const target = await cli(['automation', 'auto-switch', 'on', '--target', 'ftp', '--yes'], admin);
    expect(target.code).toBe(5);
    expect(target.stderr).toContain(
      'autoSwitch.target must be one of git, cloudflare, hybrid-cdn-first, hybrid-git-first',
    );
    const steps = await cli(['automation', 'ramp', '50,10', '--hold', '30', '--yes'], admin);
    expect(steps.code).toBe(5);
    expect(steps.stderr).toContain(
      'The configuration was refused: canaryRamp.steps must be 1 to 10 whole percentages between 1 and 100, increasing, the last 100',
    );
    expect((await view()).configVersion).toBe(before.configVersion);
  });

  it('guard: off, then default removes it (absent is on, 5 % over 10 min)', async () => {
    const off = await cli(['automation', 'guard', 'off', '--window', '30', '--yes'], admin);
    expect(off.code).toBe(0);
    expect(off.stdout).toContain('  rolloutGuard.enabled: — → false');
    expect(off.stdout).toContain('  rolloutGuard.windowMinutes: — → 30');
    expect((await view()).rolloutGuard).toEqual({
      enabled: false,
      errorPercent: 5,
      windowMinutes: 30,
      default: false,
    });
    expect((await cli(['automation'], admin)).stdout).toContain(
      'rollout guard: off: rolls a change back when its sources err above 5 % within 30 min\n',
    );

    const reset = await cli(['automation', 'guard', 'default', '--yes'], admin);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain('  rolloutGuard.enabled: false → —');
    expect((await view()).rolloutGuard).toMatchObject({ default: true, enabled: true });
    const again = await cli(['automation', 'guard', 'default', '--yes'], admin);
    expect(again.stdout).toContain('Nothing to change');
    const usage = await cli(['automation', 'guard', 'default', '--window', '5'], admin);
    expect(usage.code).toBe(2);
  });

  it('ramp: steps with a hold, then off keeps the steps; --hold is needed the first time', async () => {
    const noHold = await cli(['automation', 'ramp', '10,50,100', '--yes'], admin);
    expect(noHold.code).toBe(2);
    expect(noHold.stderr).toContain('Give --hold <minutes>');

    const on = await cli(['automation', 'ramp', '10,50,100', '--hold', '30', '--yes'], admin);
    expect(on.code).toBe(0);
    expect(on.stderr).toContain("the ramp raises a hybrid config's canary; the fleet is on git");
    expect(on.stdout).toContain('  canaryRamp.steps: — → [10,50,100]');
    expect((await cli(['automation'], admin)).stdout).toContain(
      'canary ramp:   on: canary 10 → 50 → 100 %, each step held 30 min',
    );

    const off = await cli(['automation', 'ramp', 'off', '--yes'], admin);
    expect(off.stdout).toContain('  canaryRamp.enabled: true → false');
    expect((await view()).canaryRamp).toEqual({ enabled: false, steps: [10, 50, 100], holdMinutes: 30 });
    const again = await cli(['automation', 'ramp', 'off', '--yes'], admin);
    expect(again.stdout).toContain('Nothing to change: canary ramp off already');
  });

  it('a non-admin is refused everything, and nothing changes', async () => {
    const before = await view();
    for (const args of [
      ['automation'],
      ['automation', 'pause', '--yes'],
      ['automation', 'source-alert', '--window', '7', '--yes'],
      ['automation', 'guard', 'off', '--yes'],
    ]) {
      const refused = await cli(args, viewer);
      expect(refused.code, args.join(' ')).toBe(3);
      expect(refused.stderr).toMatch(/not a marketplace admin/);
    }
    expect(await view()).toEqual(before);
    const anonymous = await cli(['automation'], env);
    expect(anonymous.code).toBe(2);
  });
});
