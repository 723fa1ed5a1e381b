import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type GitHost, parseRateLimitSpec, startGitHost } from '@cartae/local-git-host';
import { type RunningStandIn, resolveJwtSecret, startSupabaseStandIn } from '@cartae/local-supabase';
import type { LocalStackInfo } from '../support/local-stack-file.ts';
import { devAdminCredentials } from './dev-admin.ts';
import { type DevRegistryKey, devRegistryKey } from './dev-registry-key.ts';
import { publishLocalRegistrySignature } from './local-registry-signature.ts';
import { pointConfigAtLocalSources } from './point-config-at-local-sources.ts';
import { ensurePortFree } from './ports.ts';
import { type ScheduledTicker, startScheduledTicker } from './scheduled-ticker.ts';
import { type RunningApp, startViteApp } from './start-vite-app.ts';
import { type RunningWorker, startWorker } from './start-worker.ts';

export interface LocalStackOptions {
  repoRoot: string;
  /** Where PGlite, the Worker's KV, the dev admin and logs live. */
  dataDir: string;
  host: string;
  ports: { supabase: number; git: number; worker: number; admin: number; web: number };
  /** Real Postgres instead of PGlite. */
  databaseUrl?: string;
  /** PGlite in memory: nothing kept between runs. */
  memory?: boolean;
  /** Simulated GitHub quota, e.g. `60/min`. */
  gitRateLimit?: string;
  /** Config cache TTL the local fleet uses, seconds (short, so switches show quickly). */
  cacheTtlSeconds?: number;
  worker?: boolean;
  apps?: boolean;
  /**
   * Runs the Worker's once-a-minute Cron Trigger (fleet automation, alerts, the Git mirror) as
   * Cloudflare would; default on. Off: nothing runs unless `runScheduledMinute()` is called.
   */
  cronTicker?: boolean;
  /** ALERT_WEBHOOK_URL and ALERT_WEBHOOK_SECRET for the Worker (alerts are off without a URL). */
  alertWebhook?: { url: string; secret: string };
  /**
   * Signed by default: a development Ed25519 key (made once in `dataDir`) signs the sample
   * registry, the Git host serves `/registry.json.sig`, and the Worker (REGISTRY_TRUSTED_KEYS) and
   * the reference app (VITE_REGISTRY_TRUSTED_KEYS) trust that key. `false`: an unsigned registry,
   * and nobody holds a key (a fleet before signing is turned on; see `signRegistry()`).
   */
  signing?: boolean;
}

export interface RunningLocalStack {
  info: LocalStackInfo;
  standIn: RunningStandIn;
  git: GitHost;
  worker: RunningWorker | undefined;
  /** One run of the Worker's scheduled handler now, as the Cron Trigger does each minute. */
  runScheduledMinute(): Promise<void>;
  /** The development signing key the Worker and the reference app trust; undefined with `signing: false`. */
  registryKey: DevRegistryKey | undefined;
  /**
   * Turns signing on for the running stack, as a maintainer does by committing `registry.json.sig`:
   * signs what the Git host serves with the data folder's development key (made if needed) and
   * publishes the signature next to it. The Worker picks it up on its next mirror run.
   */
  signRegistry(): Promise<DevRegistryKey>;
  /**
   * Restarts the Worker (same port, same KV) with these vars added, as a `wrangler deploy` after a
   * change to wrangler.jsonc: e.g. `{ REGISTRY_TRUSTED_KEYS: '[…]' }`.
   */
  redeployWorker(vars: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

type Progress = (step: string, done?: { url?: string; ms: number }) => void;

/**
 * Starts the whole system on loopback, in dependency order, stopping what started if a later
 * step fails: the Supabase stand-in (migrations, a development admin), the Git host serving
 * `registry/`, the CDN Worker under `wrangler dev`, the admin panel and the reference app.
 */
export async function startLocalStack(
  options: LocalStackOptions,
  progress: Progress,
): Promise<RunningLocalStack> {
  const { host, ports } = options;
  await ensurePortFree(host, ports.supabase, 'Supabase stand-in', '--supabase-port');
  await ensurePortFree(host, ports.git, 'Git host', '--git-port');
  if (options.worker !== false) await ensurePortFree(host, ports.worker, 'Worker', '--worker-port');
  if (options.apps !== false) {
    await ensurePortFree(host, ports.admin, 'admin panel', '--admin-port');
    await ensurePortFree(host, ports.web, 'reference app', '--web-port');
  }
  mkdirSync(options.dataDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  // Each service gets a few seconds to stop; one that hangs must not keep the others running.
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      await Promise.race([stop().catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
    }
    stops.length = 0;
  };
  const timed = async <T>(
    step: string,
    start: () => Promise<T>,
    urlOf?: (value: T) => string,
  ): Promise<T> => {
    progress(step);
    const began = Date.now();
    const value = await start();
    progress(step, { ms: Date.now() - began, ...(urlOf ? { url: urlOf(value) } : {}) });
    return value;
  };

  try {
    const backend = options.databaseUrl ? 'PostgreSQL' : options.memory ? 'PGlite in memory' : 'PGlite';
    const standIn = await timed(
      `Supabase stand-in (${backend}, migrations)`,
      () =>
        startSupabaseStandIn({
          ...(options.databaseUrl
            ? {
                databaseUrl: options.databaseUrl,
                // Stable keys across restarts, as with PGlite (same file beside the local data).
                jwtSecret: resolveJwtSecret({ secretFile: join(options.dataDir, 'supabase.jwt-secret') }),
              }
            : options.memory
              ? {}
              : { dataDir: join(options.dataDir, 'supabase') }),
          hostname: host,
          port: ports.supabase,
        }),
      (s) => s.url,
    );
    stops.push(() => standIn.close());
    const admin = devAdminCredentials(join(options.dataDir, 'dev-admin.json'));
    await standIn.createUser({ ...admin, displayName: 'Development Admin', admin: true });

    const git = await timed(
      `Git host serving registry/${options.gitRateLimit ? ` (rate limit ${options.gitRateLimit})` : ''}`,
      () =>
        startGitHost({
          root: join(options.repoRoot, 'registry'),
          host,
          port: ports.git,
          ...(options.gitRateLimit ? { rateLimit: parseRateLimitSpec(options.gitRateLimit) } : {}),
        }),
      (g) => `${g.url}/registry.json`,
    );
    stops.push(() => git.close());
    const gitUrl = `${git.url}/registry.json`;
    const registryKey =
      options.signing === false
        ? undefined
        : await timed(
            'Registry signed with the development key',
            async () => {
              const key = await devRegistryKey(options.dataDir);
              await publishLocalRegistrySignature(git, options.repoRoot, key);
              return key;
            },
            (key) => `${gitUrl}.sig (key "${key.publicKey.kid}")`,
          );
    const trustedKeys = registryKey === undefined ? undefined : JSON.stringify([registryKey.publicKey]);
    const adminToken = randomBytes(18).toString('base64url');

    let worker: RunningWorker | undefined;
    let ticker: ScheduledTicker | undefined;
    let workerVars: Record<string, string> = {
      REGISTRY_GIT_URL: gitUrl,
      ALLOW_LOOPBACK_HTTP: 'true',
      CONFIG_CACHE_SECONDS: '5',
      ...(trustedKeys === undefined ? {} : { REGISTRY_TRUSTED_KEYS: trustedKeys }),
      // Both as vars: wrangler dev loads only the secrets wrangler.jsonc lists (README, "Alerts").
      ...(options.alertWebhook
        ? {
            ALERT_WEBHOOK_URL: options.alertWebhook.url,
            ALERT_WEBHOOK_SECRET: options.alertWebhook.secret,
          }
        : {}),
    };
    const launchWorker = () =>
      startWorker({
        repoRoot: options.repoRoot,
        host,
        port: ports.worker,
        persistTo: join(options.dataDir, 'wrangler'),
        logFile: join(options.dataDir, 'wrangler.log'),
        vars: workerVars,
        secrets: {
          SUPABASE_URL: standIn.url,
          SUPABASE_ANON_KEY: standIn.anonKey,
          SUPABASE_SERVICE_ROLE_KEY: standIn.serviceRoleKey,
          ADMIN_TOKEN: adminToken,
        },
        testScheduled: true,
      });
    if (options.worker !== false) {
      const started = await timed('CDN Worker (wrangler dev)', launchWorker, (w) => w.url);
      worker = started;
      stops.push(() => (worker ?? started).stop());
      ticker = startScheduledTicker(
        started.url,
        (message) => progress(`Cron Trigger: ${message}; see ${join(options.dataDir, 'wrangler.log')}`),
        { everyMinute: options.cronTicker !== false },
      );
      const running = ticker;
      stops.push(async () => running.stop());
    }
    const workerUrl = worker?.url ?? '';

    await timed('Fleet config pointed at the local sources', () =>
      pointConfigAtLocalSources(standIn, {
        gitUrl,
        cdnUrl: workerUrl,
        cacheTtlSeconds: options.cacheTtlSeconds ?? 30,
      }),
    );

    let adminApp: RunningApp | undefined;
    let webApp: RunningApp | undefined;
    if (options.apps !== false) {
      const shared = {
        VITE_SUPABASE_URL: standIn.url,
        VITE_SUPABASE_ANON_KEY: standIn.anonKey,
        VITE_ALLOW_LOOPBACK_HTTP: '1',
      };
      adminApp = await timed(
        'Admin panel',
        () =>
          startViteApp({ repoRoot: options.repoRoot, app: 'admin', host, port: ports.admin, env: shared }),
        (a) => a.url,
      );
      stops.push(() => (adminApp as RunningApp).stop());
      webApp = await timed(
        'Reference app',
        () =>
          startViteApp({
            repoRoot: options.repoRoot,
            app: 'web',
            host,
            port: ports.web,
            env: {
              ...shared,
              VITE_DEFAULT_GIT_URL: gitUrl,
              ...(trustedKeys === undefined ? {} : { VITE_REGISTRY_TRUSTED_KEYS: trustedKeys }),
              ...(workerUrl ? { VITE_CONFIG_URL: `${workerUrl}/api/config` } : {}),
            },
          }),
        (a) => a.url,
      );
      stops.push(() => (webApp as RunningApp).stop());
    }

    return {
      standIn,
      git,
      // A getter: `redeployWorker` replaces the running Worker.
      get worker() {
        return worker;
      },
      runScheduledMinute: () => ticker?.runNow() ?? Promise.resolve(),
      registryKey,
      async signRegistry() {
        const key = registryKey ?? (await devRegistryKey(options.dataDir));
        await publishLocalRegistrySignature(git, options.repoRoot, key);
        return key;
      },
      async redeployWorker(vars) {
        if (worker === undefined) throw new Error('this stack runs no Worker (worker: false)');
        await worker.stop();
        workerVars = { ...workerVars, ...vars };
        worker = await launchWorker();
      },
      info: {
        supabaseUrl: standIn.url,
        anonKey: standIn.anonKey,
        serviceRoleKey: standIn.serviceRoleKey,
        admin,
        gitUrl,
        workerUrl,
        adminPanelUrl: adminApp?.url ?? '',
        webAppUrl: webApp?.url ?? '',
        adminToken,
        startedAt: new Date().toISOString(),
        pid: process.pid,
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
