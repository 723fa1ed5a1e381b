import { createServer, type Server } from 'node:net';
import { startGitHost } from '@cartae/local-git-host';
import { type RunningStandIn, startSupabaseStandIn } from '@cartae/local-supabase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryText } from '../../../tests/fixtures/registry-builder.ts';
import { cli } from './support/run-cli.ts';

let standIn: RunningStandIn;
let env: Record<string, string>;
let admin: Record<string, string>;
beforeAll(async () => {
  standIn = await startSupabaseStandIn();
  await standIn.createUser({
    email: 'ops@cartae.test',
    password: 'ops-password',
    displayName: 'Ops',
    admin: true,
  });
  await standIn.createUser({ email: 'viewer@cartae.test', password: 'viewer-password' });
  env = { SUPABASE_URL: standIn.url, SUPABASE_ANON_KEY: standIn.anonKey };
  admin = { ...env, CARTAE_ADMIN_EMAIL: 'ops@cartae.test', CARTAE_ADMIN_PASSWORD: 'ops-password' };
}, 60_000);
afterAll(async () => {
  await standIn?.close();
});

describe('cartae-marketplace against a control plane', { timeout: 60_000 }, () => {
  it('status prints the current source, and --json parses', async () => {
    const human = await cli(['status'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/source:\s+git/);
    const json = await cli(['--json', 'status'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ document: { type: 'git' }, version: expect.any(Number) });
  });

  it('switch, history and rollback move the fleet and record who did it', async () => {
    const switched = await cli(
      ['--json', 'switch', 'hybrid-cdn-first', '--canary', '10', '--reason', 'canary', '--yes'],
      admin,
    );
    expect(switched.code).toBe(0);
    expect(JSON.parse(switched.stdout)).toMatchObject({
      document: { type: 'hybrid', canaryPercent: 10, priority: ['cloudflare', 'git'] },
    });

    const history = await cli(['--json', 'history', '--limit', '5'], admin);
    const entries = JSON.parse(history.stdout) as {
      id: number;
      reason: string;
      changedByEmail: string;
      newValue: { type: string };
    }[];
    expect(entries[0]).toMatchObject({ reason: 'canary', changedByEmail: 'ops@cartae.test' });
    const installed = entries.find((e) => e.newValue.type === 'git');
    expect(installed).toBeDefined();

    const rolled = await cli(['rollback', String(installed?.id), '--yes', '--reason', 'back'], admin);
    expect(rolled.code).toBe(0);
    expect(rolled.stdout).toMatch(/rolled back/);
    expect(JSON.parse((await cli(['--json', 'status'], env)).stdout)).toMatchObject({
      document: { type: 'git' },
    });
  });

  it('exit codes tell scripts what went wrong', async () => {
    const usage = await cli(['switch', 'ftp'], admin);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown target "ftp"/);

    const noTerminal = await cli(['switch', 'cloudflare'], admin);
    expect(noTerminal.code).toBe(8);
    expect(noTerminal.stderr).toMatch(/add --yes/);

    const viewer = await cli(['switch', 'cloudflare', '--yes'], {
      ...env,
      CARTAE_ADMIN_EMAIL: 'viewer@cartae.test',
      CARTAE_ADMIN_PASSWORD: 'viewer-password',
    });
    expect(viewer.code).toBe(3);
    expect(viewer.stderr).toMatch(/not a marketplace admin/);

    const wrongPassword = await cli(['switch', 'cloudflare', '--yes'], {
      ...admin,
      CARTAE_ADMIN_PASSWORD: 'nope',
    });
    expect(wrongPassword.code).toBe(3);

    const dead = await cli(['status'], {
      SUPABASE_URL: 'http://127.0.0.1:9',
      SUPABASE_ANON_KEY: standIn.anonKey,
    });
    expect(dead.code).toBe(6);
    expect(dead.stderr).toMatch(/cannot be reached/);

    const nothing = await cli(['status']);
    expect(nothing.code).toBe(6);
    expect(nothing.stderr).toMatch(
      /No control plane is running here: start the local stack with `npm start`/,
    );
  });

  it('test validates a source like an app would', async () => {
    const git = await startGitHost({ files: { '/api/plugins': registryText({ version: 3, plugins: 4 }) } });
    try {
      const good = await cli(['test', git.url, '--allow-loopback-http']);
      expect(good.code).toBe(0);
      expect(good.stdout).toMatch(/✅ .*registry version 3, 4 plugins/);
      const refused = await cli(['test', git.url]);
      expect(refused.code).toBe(6);
      expect(refused.stdout).toMatch(/❌ .*https/);
    } finally {
      await git.close();
    }
  });
});

describe('cartae-marketplace up', { timeout: 60_000 }, () => {
  let blocker: Server;
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  });
  afterAll(() => new Promise<void>((r) => blocker.close(() => r())));

  it('a busy port is a clear error before anything starts', async () => {
    const port = (blocker.address() as { port: number }).port;
    const r = await cli(['up', '--memory', '--supabase-port', String(port)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`port ${port} (Supabase stand-in) is busy`);
  });
});
