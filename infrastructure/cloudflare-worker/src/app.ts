import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { type AppEnv, settingsFor } from './app-env.ts';
import { jsonError } from './http/json-error.ts';
import { methodNotAllowed } from './http/method-not-allowed.ts';
import { requestGuard } from './http/request-guard.ts';
import { adminSync } from './routes/admin-sync-route.ts';
import { serveConfigPoll } from './routes/config-poll-route.ts';
import { serveConfig } from './routes/config-route.ts';
import { serveHealth } from './routes/health-route.ts';
import { servePlugin } from './routes/plugin-route.ts';
import { serveRegistry } from './routes/registry-route.ts';
import { serveRegistrySignature } from './routes/registry-signature-route.ts';
import { AddressRateLimiter } from './usage/address-rate-limit.ts';
import { IntakeTally } from './usage/intake-tally.ts';
import { DEFAULT_PLATFORM, type WorkerPlatform } from './worker-platform.ts';
import type { WorkerSettings } from './worker-settings.ts';

const READ_METHODS = ['GET', 'HEAD', 'OPTIONS'] as const;
/** /api/config also takes POST: a config poll carrying a usage report. */
const CONFIG_METHODS = ['GET', 'HEAD', 'POST', 'OPTIONS'] as const;

/** Headers a browser may read from our answers (ETag for conditional requests, staleness flags). */
const EXPOSED_HEADERS = [
  'ETag',
  'Age',
  'Retry-After',
  'X-Registry-Version',
  'X-Config-Version',
  'X-Config-Stale',
];

const corsBySettings = new WeakMap<WorkerSettings, MiddlewareHandler>();

/** Hono's CORS middleware for the configured origins, built once per settings. */
function corsFor(settings: WorkerSettings): MiddlewareHandler {
  let middleware = corsBySettings.get(settings);
  if (middleware === undefined) {
    const origins = settings.corsOrigins;
    middleware = cors({
      origin: origins === '*' ? '*' : [...origins],
      allowMethods: (_origin, c) => [...(c.req.path === '/api/config' ? CONFIG_METHODS : READ_METHODS)],
      allowHeaders: ['If-None-Match', 'If-Modified-Since', 'Content-Type'],
      exposeHeaders: EXPOSED_HEADERS,
      maxAge: 86_400,
    });
    corsBySettings.set(settings, middleware);
  }
  return middleware;
}

/**
 * The Worker's HTTP surface as a Hono app, Fetch API only. Tests call `app.request(…)` or
 * `app.fetch(request, env, ctx)`; production uses it through `src/index.ts`.
 *
 * @example
 * const app = createWorkerApp();
 * const response = await app.request('/api/plugins', {}, env);
 */
export function createWorkerApp(platform: WorkerPlatform = DEFAULT_PLATFORM): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Per app, so per isolate in production: the rate limit and the refusal counts of usage reports.
  const intake = { limiter: new AddressRateLimiter(), tally: new IntakeTally() };
  app.use(async function withSettings(c, next) {
    c.set('settings', settingsFor(c.env));
    c.set('platform', platform);
    await next();
  });
  // CORS comes before everything that can answer, so every error carries the same CORS headers
  // as a success and a browser reads the JSON instead of reporting a CORS failure.
  app.use(async function corsForBrowsers(c, next) {
    return corsFor(c.var.settings)(c, next);
  });
  app.use(requestGuard({ maxUrlLength: 2048, maxBodyBytes: 1024, ownBodies: ['POST /api/config'] }));

  app.get('/api/plugins', serveRegistry);
  app.get('/api/plugins.sig', serveRegistrySignature);
  app.get('/api/plugins/:id', servePlugin);
  app.get('/api/config', serveConfig);
  app.post('/api/config', serveConfigPoll(intake));
  app.get('/health', serveHealth);
  app.post('/admin/sync', adminSync);

  for (const path of ['/api/plugins', '/api/plugins.sig', '/api/plugins/:id', '/health']) {
    app.all(path, methodNotAllowed(READ_METHODS));
  }
  app.all('/api/config', methodNotAllowed(CONFIG_METHODS));
  app.all('/admin/sync', methodNotAllowed(['POST']));

  app.notFound((c) =>
    jsonError(
      404,
      'not_found',
      `no route for ${c.req.path}; routes are /api/plugins, /api/plugins.sig, /api/plugins/{id}, /api/config, /health`,
    ),
  );
  app.onError((error, c) => {
    platform.log('worker_error', { path: c.req.path, message: error.message });
    return jsonError(500, 'internal_error', 'the Worker failed on this request; it has been logged');
  });
  return app;
}
