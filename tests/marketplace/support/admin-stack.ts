import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type GitHost, startGitHost } from '@cartae/local-git-host';
import { actAsServiceRole, type RunningStandIn, startSupabaseStandIn } from '@cartae/local-supabase';
import { build, type PreviewServer, preview } from 'vite';
import { registryText } from '../../fixtures/registry-builder.ts';

const root = new URL('../../../', import.meta.url).pathname;

/** Where screenshots go: a test artifact, never committed (`test-results/` is ignored). */
export const ARTIFACTS = join(root, 'test-results', 'admin');

export interface AdminStack {
  standIn: RunningStandIn;
  git: GitHost;
  cdn: GitHost;
  adminUrl: string;
  close(): Promise<void>;
}

/**
 * The admin page as a person uses it: the Supabase stand-in on PGlite, a loopback Git host and a
 * loopback CDN serving the same registry, and `apps/admin` served by Vite, configured through
 * its environment like any deployment.
 */
export async function startAdminStack(): Promise<AdminStack> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const standIn = await startSupabaseStandIn();
  const registry = registryText({ version: 7, plugins: 25 });
  const git = await startGitHost({ files: { '/registry/registry.json': registry } });
  const cdn = await startGitHost({ files: { '/api/plugins': registry } });
  await standIn.createUser({
    email: 'ada@cartae.test',
    password: 'ada-password',
    displayName: 'Ada Lovelace',
    admin: true,
  });
  await standIn.createUser({ email: 'member@cartae.test', password: 'member-password' });
  // The fleet starts on Git at the loopback host, as after installation.
  await standIn.database.transaction(async (tx) => {
    await actAsServiceRole(tx);
    await tx.query(`select public.update_app_config('marketplace_source', $1::jsonb, 'local stack')`, [
      JSON.stringify({
        type: 'git',
        gitUrl: `${git.url}/registry/registry.json`,
        cloudflareUrl: cdn.url,
        cacheTtlSeconds: 300,
      }),
    ]);
  });
  process.env.VITE_SUPABASE_URL = standIn.url;
  process.env.VITE_SUPABASE_ANON_KEY = standIn.anonKey;
  process.env.VITE_ALLOW_LOOPBACK_HTTP = '1';
  // A production build, served as a deployment would serve it (and loaded far faster than dev).
  const outDir = join(root, '.tmp', 'admin-e2e-dist');
  const configFile = join(root, 'apps/admin/vite.config.ts');
  await build({ configFile, build: { outDir, emptyOutDir: true }, logLevel: 'warn' });
  const vite: PreviewServer = await preview({
    configFile,
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
    logLevel: 'warn',
  });
  const adminUrl = vite.resolvedUrls?.local[0];
  if (!adminUrl) throw new Error('Vite did not report where it listens');
  return {
    standIn,
    git,
    cdn,
    adminUrl,
    async close() {
      await new Promise<void>((resolve) => vite.httpServer.close(() => resolve()));
      await Promise.all([standIn.close(), git.close(), cdn.close()]);
    },
  };
}
