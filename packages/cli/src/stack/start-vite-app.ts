import { join } from 'node:path';
import { createServer } from 'vite';

export interface RunningApp {
  url: string;
  stop(): Promise<void>;
}

/** One of the repo's Vite apps (`apps/admin`, `apps/web`) on a dev server, configured by `env`. */
export async function startViteApp(options: {
  repoRoot: string;
  app: 'admin' | 'web';
  host: string;
  port: number;
  env: Record<string, string>;
}): Promise<RunningApp> {
  // Vite reads VITE_* from process.env when the server is created.
  Object.assign(process.env, options.env);
  // Vite's dev server exits the whole process on SIGTERM (and when stdin ends); here it is one
  // service among several, and `up` stops them all in order. Keep only our own handlers.
  const sigtermBefore = new Set(process.listeners('SIGTERM'));
  const stdinEndBefore = new Set(process.stdin.listeners('end'));
  const server = await createServer({
    configFile: join(options.repoRoot, 'apps', options.app, 'vite.config.ts'),
    server: { host: options.host, port: options.port, strictPort: true },
    logLevel: 'warn',
    clearScreen: false,
  });
  await server.listen();
  for (const l of process.listeners('SIGTERM'))
    if (!sigtermBefore.has(l)) process.removeListener('SIGTERM', l);
  for (const l of process.stdin.listeners('end')) {
    if (!stdinEndBefore.has(l)) process.stdin.removeListener('end', l as () => void);
  }
  const url = server.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? `http://${options.host}:${options.port}`;
  return { url, stop: () => server.close() };
}
