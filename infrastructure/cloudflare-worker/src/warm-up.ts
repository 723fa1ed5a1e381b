import type { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';
import type { WorkerEnv } from './worker-env.ts';

/** Paths whose routing is prepared at startup: every route the Worker serves. */
const ROUTED_PATHS = ['/api/plugins', '/api/plugins.sig', '/api/plugins/x', '/api/config', '/health'];

/**
 * Runs once at startup, from the module's top level, the code every request goes through that
 * needs no binding and no I/O: Hono's router (built on its first match), the app's middleware
 * (settings, CORS, request guard) and an error answer, by answering one request for a path no
 * route has. V8 compiles functions the first time they run, so a new isolate's first request
 * would otherwise pay for compiling them; Cloudflare counts startup against its own limit (1 s
 * of CPU), a request against the plan's per-request one (10 ms on the Free plan). Nothing is
 * kept: the answer is dropped, and the settings of the empty env are never used again.
 *
 * @example
 * const app = createWorkerApp(DEFAULT_PLATFORM);
 * warmUp(app);
 */
export function warmUp(app: Hono<AppEnv>): void {
  for (const path of ROUTED_PATHS) app.router.match('GET', path);
  const noBindings = {} as WorkerEnv;
  void Promise.resolve(app.fetch(new Request('https://warm-up.invalid/__warm-up'), noBindings))
    .then((answer) => answer.body?.cancel())
    .catch(() => undefined);
}
