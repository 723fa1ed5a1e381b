import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GitHost, startGitHost } from '@cartae/local-git-host';
import { type RunningStandIn, startSupabaseStandIn } from '@cartae/local-supabase';
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryText } from '../../../tests/fixtures/registry-builder.ts';
import { freePort } from '../src/stack/ports.ts';
import type { LocalStackInfo } from '../src/support/local-stack-file.ts';
import { cli } from './support/run-cli.ts';

// What an operator reads (issue 14, points 7 and 10): labelled output, aligned tables, messages
// about this machine rather than a browser, no ✖ on a question, no whole help on a typo, and
// "start it" when nothing runs. A stand-in of its own: ten saves make two-digit ids.
let standIn: RunningStandIn;
let git: GitHost;
let env: Record<string, string>;
let admin: Record<string, string>;
beforeAll(async () => {
  standIn = await startSupabaseStandIn();
  await standIn.createUser({ email: 'ops@cartae.test', password: 'ops-password', admin: true });
  env = { SUPABASE_URL: standIn.url, SUPABASE_ANON_KEY: standIn.anonKey };
  admin = { ...env, CARTAE_ADMIN_EMAIL: 'ops@cartae.test', CARTAE_ADMIN_PASSWORD: 'ops-password' };
  const service = createClient(standIn.url, standIn.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
  const { data } = await service.rpc('get_marketplace_config', {});
  const current = (Array.isArray(data) ? data[0] : data) as { config_value: Record<string, unknown> };
  for (let ttl = 31; ttl <= 41; ttl++) {
    const { error } = await service.rpc('update_app_config', {
      p_config_key: 'marketplace_source',
      p_config_value: { ...current.config_value, cacheTtlSeconds: ttl },
      p_reason: ttl % 2 ? 'a reason of some length' : null,
    });
    if (error) throw new Error(error.message);
  }
  git = await startGitHost({ files: { '/registry.json': registryText({ version: 5, plugins: 2 }) } });
}, 60_000);
afterAll(async () => {
  await git?.close();
  await standIn?.close();
});

describe('what the CLI says to an operator', { timeout: 60_000 }, () => {
  it('status labels the control plane it read, like every other line', async () => {
    const r = await cli(['status'], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`control plane: ${standIn.url}`);
    // One column of values: every line is `label:` then spaces up to the same place.
    const valueColumn = (line: string) => /^[a-z ]+:\s+/.exec(line)?.[0].length;
    expect(new Set(lines.map(valueColumn))).toEqual(new Set([15]));
  });

  it('history is a table with a header whose columns stay put, entry and version apart', async () => {
    const r = await cli(['history', '--limit', '12'], admin);
    expect(r.code).toBe(0);
    const [header, ...rows] = r.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^entry\s+version\s+changed \(local\)\s+origin\s+source\s+by\s+reason$/);
    expect(rows.length).toBe(12);
    expect(r.stdout).not.toMatch(/#\d+\s+v\d+/);
    // Each column starts where its header does, whatever the width of ids, names and reasons.
    const start = (name: string) => header?.indexOf(name) ?? -1;
    for (const row of rows) {
      expect(row.slice(start('changed'))).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /);
      expect(row.slice(start('origin'))).toMatch(/^(admin|migration|service_role|system)/);
      expect(row.slice(start('source'))).toMatch(/^git /);
    }
    expect(rows.some((row) => row.slice(start('entry'), start('version')).trim().length === 2)).toBe(true);
  });

  it('test without --kind fetches the Git file a .json URL names, not …/registry.json/api/plugins', async () => {
    const r = await cli(['test', `${git.url}/registry.json`, '--allow-loopback-http']);
    expect(r.stdout).not.toContain('/registry.json/api/plugins');
    expect(r.stdout).toMatch(
      /^✅ Git http:\/\/127\.0\.0\.1:\d+\/registry\.json: HTTP 200 .*registry version 5, 2 plugins/,
    );
    expect(r.code).toBe(0);
    const json = JSON.parse(
      (await cli(['--json', 'test', `${git.url}/registry.json`, '--allow-loopback-http'])).stdout,
    );
    expect(json).toMatchObject({ kind: 'git', ok: true, url: `${git.url}/registry.json` });
  });

  it('test accepts the URLs the running local stack printed, without --allow-loopback-http', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cartae-cli-local-'));
    try {
      const info: LocalStackInfo = {
        supabaseUrl: standIn.url,
        anonKey: standIn.anonKey,
        serviceRoleKey: standIn.serviceRoleKey,
        admin: { email: 'ops@cartae.test', password: 'ops-password' },
        gitUrl: `${git.url}/registry.json`,
        workerUrl: '',
        adminPanelUrl: '',
        webAppUrl: '',
        adminToken: 'x',
        startedAt: new Date().toISOString(),
        pid: process.pid, // alive: the stack counts as running
      };
      writeFileSync(join(dataDir, 'local-stack.json'), JSON.stringify(info));
      const r = await cli(['--data-dir', dataDir, 'test', info.gitUrl]);
      expect(r.stdout).toMatch(/^✅ Git /);
      expect(r.code).toBe(0);
      // Another loopback URL is still refused, as the apps would.
      const other = await cli([
        '--data-dir',
        dataDir,
        'test',
        `http://127.0.0.1:${await freePort()}/registry.json`,
      ]);
      expect(other.code).toBe(6);
      expect(other.stdout).toMatch(/❌ .*https/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('test says this machine could not connect, with why; no browser, no CORS', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const r = await cli(['test', url, '--allow-loopback-http']);
    expect(r.code).toBe(6);
    expect(r.stdout).toMatch(
      /^❌ Cloudflare CDN http:\/\/127\.0\.0\.1:\d+\/api\/plugins: cannot connect from this machine \(.*ECONNREFUSED.*\)/,
    );
    expect(r.stdout).not.toMatch(/browser|CORS/);
  });

  it('a confirmation that cannot be asked, or is declined, is no ✖ error', async () => {
    const r = await cli(['switch', 'cloudflare'], admin);
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/^Switch every installed app on .*\nNot a terminal: add --yes to confirm\.\n$/);
    expect(r.stderr).not.toContain('✖');
  });

  it('a usage error names the mistake and where help is, not the whole help', async () => {
    for (const args of [['switch'], ['status', '--bogus'], ['nonsense']]) {
      const r = await cli(args, env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: .*\n\(add --help for usage\)\n$/);
      expect(r.stderr).not.toMatch(/Usage:|Options:|Commands:/);
    }
  });

  it('with no stack running and no URL, says to start one, exit 6 (unreachable)', async () => {
    for (const command of [['status'], ['history'], ['switch', 'git', '--yes']]) {
      const r = await cli(command);
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(/^✖ No control plane is running here: start the local stack with `npm start`/);
    }
  });
});
