import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { createAuthRoutes } from '../auth/auth-routes.ts';
import { goTrueError } from '../auth/gotrue-error.ts';
import { createApiKeys, createJwtKeys } from '../auth/jwt-keys.ts';
import { createIdentityResolver } from '../auth/request-identity.ts';
import type { Database } from '../database/database.ts';
import { createFunctionCatalog } from '../rest/function-catalog.ts';
import { INTERNAL_ERROR } from '../rest/postgrest-error.ts';
import { createRestRoutes } from '../rest/rest-routes.ts';

/** Request bodies above this are refused with 413 (the control plane's documents are ~64 KiB at most). */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** The headers supabase-js and browsers send, as Supabase's gateway allows them. */
const ALLOWED_HEADERS = [
  'authorization',
  'x-client-info',
  'apikey',
  'content-type',
  'x-supabase-api-version',
  'prefer',
  'accept-profile',
  'content-profile',
  'range',
];

export interface StandInApp {
  app: Hono;
  anonKey: string;
  serviceRoleKey: string;
}

/** The stand-in's HTTP app over an already migrated database. */
export async function createStandInApp(options: {
  db: Database;
  jwtSecret: string;
  /** The public base URL, for the `iss` claim of access tokens. */
  publicUrl: () => string;
  accessTokenSeconds?: number;
}): Promise<StandInApp> {
  const keys = createJwtKeys(options.jwtSecret);
  const apiKeys = await createApiKeys(keys);
  const catalog = createFunctionCatalog(options.db);
  const app = new Hono();

  app.use(
    '*',
    cors({
      origin: '*',
      allowHeaders: ALLOWED_HEADERS,
      allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      exposeHeaders: ['content-range', 'x-supabase-api-version'],
      maxAge: 3600,
    }),
  );
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_REQUEST_BYTES,
      // The unread rest of the body makes the connection unusable: say so, so clients do not reuse it.
      onError: (c) => {
        c.header('connection', 'close');
        const message = `Request body larger than ${MAX_REQUEST_BYTES} bytes`;
        if (c.req.path.startsWith('/auth/v1/'))
          return goTrueError(c, 413, 'request_entity_too_large', message);
        return c.json({ code: 'PGRST413', details: null, hint: null, message }, 413);
      },
    }),
  );
  app.route(
    '/rest/v1',
    createRestRoutes({
      db: options.db,
      lookup: catalog.lookup,
      identify: createIdentityResolver(keys, apiKeys),
    }),
  );
  app.route(
    '/auth/v1',
    createAuthRoutes({
      db: options.db,
      keys,
      apiKeys,
      issuer: () => `${options.publicUrl()}/auth/v1`,
      accessTokenSeconds: options.accessTokenSeconds ?? 3600,
    }),
  );
  app.notFound((c) => c.json({ message: 'no Route matched with those values' }, 404));
  // REST and Auth answer their own unexpected errors; this is for anything outside them.
  app.onError((error, c) => {
    console.error('local-supabase: unexpected error', error);
    return c.json(INTERNAL_ERROR, 500);
  });
  return { app, ...apiKeys };
}
