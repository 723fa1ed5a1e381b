import { resolve } from 'node:path';
import type { Command } from 'commander';
import { listenForStopRequests } from '../stack/stop-requests.ts';
import { localStackFile, writeLocalStack } from '../support/local-stack-file.ts';
import { numberOption } from '../support/number-option.ts';
import type { Output } from '../support/output.ts';

const port = (flag: string) => numberOption(flag, { min: 0, max: 65_535, integer: true });

/** `up`: the whole system on this machine, until Ctrl-C. */
export function registerUpCommand(
  program: Command,
  globals: () => { dataDir: string; output: Output; repoRoot: string },
) {
  program
    .command('up')
    .description(
      'Run the whole stack locally: control plane, Git host, CDN Worker, admin panel, reference app',
    )
    .option('--database-url <url>', 'use this PostgreSQL instead of PGlite (default: $DATABASE_URL)')
    .option('--memory', 'PGlite in memory: start empty, keep nothing')
    .option('--git-rate-limit <rate>', 'simulate GitHub limits on the Git host, e.g. 60/min')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--supabase-port <port>', 'Supabase stand-in port', port('--supabase-port'), 54321)
    .option('--git-port <port>', 'Git host port', port('--git-port'), 8790)
    .option('--worker-port <port>', 'Worker port', port('--worker-port'), 8787)
    .option('--admin-port <port>', 'admin panel port', port('--admin-port'), 5174)
    .option('--web-port <port>', 'reference app port', port('--web-port'), 5173)
    .option(
      '--ttl <seconds>',
      'config cache TTL for the local fleet',
      numberOption('--ttl', { min: 5, max: 86_400, integer: true }),
      30,
    )
    .option('--no-worker', 'do not start the Worker')
    .option('--no-apps', 'do not start the admin panel and the reference app')
    .action(async (flags) => {
      const g = globals();
      const began = Date.now();
      g.output.note('Starting the Cartae marketplace stack…');
      const databaseUrl: string | undefined = flags.databaseUrl ?? process.env.DATABASE_URL;
      // Loaded here: the stack pulls in PGlite, Vite and wrangler, which other commands never need.
      const { startLocalStack } = await import('../stack/local-stack.ts');
      // Listening from the start: a signal during start-up is not lost (nor does it end the process
      // half way); the stack stops as soon as it is up.
      const stopRequests = listenForStopRequests({
        onRepeat: () => g.output.note('Still stopping: each service has a few seconds, then it is killed.'),
      });
      const stack = await startLocalStack(
        {
          repoRoot: g.repoRoot,
          dataDir: resolve(g.dataDir),
          host: flags.host,
          ports: {
            supabase: flags.supabasePort,
            git: flags.gitPort,
            worker: flags.workerPort,
            admin: flags.adminPort,
            web: flags.webPort,
          },
          ...(databaseUrl ? { databaseUrl } : {}),
          ...(flags.memory ? { memory: true } : {}),
          ...(flags.gitRateLimit ? { gitRateLimit: flags.gitRateLimit } : {}),
          cacheTtlSeconds: flags.ttl,
          worker: flags.worker,
          apps: flags.apps,
        },
        (step, done) =>
          g.output.note(
            done ? `  ✔ ${step}${done.url ? `  ${done.url}` : ''}  (${done.ms} ms)` : `  … ${step}`,
          ),
      );
      writeLocalStack(resolve(g.dataDir), stack.info);
      const i = stack.info;
      g.output.result(
        { ...i, stateFile: localStackFile(resolve(g.dataDir)) },
        () => `
Ready in ${((Date.now() - began) / 1000).toFixed(1)} s.

  Reference app    ${i.webAppUrl || '(not started)'}
  Admin panel      ${i.adminPanelUrl || '(not started)'}
                   sign in as ${i.admin.email} / ${i.admin.password}
  CDN Worker       ${i.workerUrl ? `${i.workerUrl}/api/plugins   (config: ${i.workerUrl}/api/config)` : '(not started)'}
  Git host         ${i.gitUrl}
  Supabase         ${i.supabaseUrl}
    anon key       ${i.anonKey}
    service key    ${i.serviceRoleKey}

Try: npx cartae-marketplace status · switch cloudflare · history    (they use this stack)
Ctrl-C stops everything.`,
      );
      const reason = await stopRequests.requested;
      // After a hang-up the terminal is gone: a note written to it fails (EIO), which must not end
      // the process before the Worker is stopped.
      for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
      g.output.note(
        `\nStopping (${reason === 'parent-exit' ? 'the process that started this one is gone' : reason})…`,
      );
      await stack.stop();
      g.output.note('Stopped.');
      stopRequests.dispose();
      // Everything started is stopped; a handle left open (a watcher, a socket) must not keep the
      // process, and its terminal, waiting.
      setTimeout(() => process.exit(), 2_000).unref();
    });
}
