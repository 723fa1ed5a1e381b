import { Hono } from 'hono';
import type { RequestIdentity } from '../auth/request-identity.ts';
import { wwwAuthenticate } from '../auth/www-authenticate.ts';
import type { Database } from '../database/database.ts';
import { callRpc } from './call-rpc.ts';
import type { FunctionSignature } from './function-catalog.ts';
import { INTERNAL_ERROR } from './postgrest-error.ts';
import { firstValues, type RpcPayload, readRpcPayload } from './rpc-payload.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * `/rest/v1/rpc/:fn` as PostgREST serves it: POST with named arguments in a JSON object (or a
 * raw body for a function of one unnamed parameter), GET (and HEAD) with them as query parameters
 * in a read-only transaction; other methods are 405 `PGRST101`. Tables are not served.
 */
export function createRestRoutes(deps: {
  db: Database;
  lookup: (name: string) => Promise<FunctionSignature[]>;
  identify: (headers: { apikey?: string; authorization?: string }) => Promise<RequestIdentity>;
}): Hono {
  const rest = new Hono();

  rest.all('/rpc/:fn', async (c) => {
    const identity = await deps.identify({
      apikey: c.req.header('apikey') ?? c.req.query('apikey'),
      authorization: c.req.header('authorization'),
    });
    if (!identity.ok) {
      c.header('WWW-Authenticate', wwwAuthenticate(identity.challenge));
      return c.json(identity.body, identity.status);
    }
    const method = c.req.method;
    // After authentication, as PostgREST decides the action (`ApiRequest.hs`, `getAction`).
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
      return c.json(
        { code: 'PGRST101', details: null, hint: null, message: `Cannot use the ${method} method on RPC` },
        405,
      );
    }
    let payload: RpcPayload;
    if (method === 'POST') {
      const read = await readRpcPayload(c.req.raw);
      if (!read.ok) return c.json(read.body, 400);
      payload = read.payload;
    } else {
      const query = new URL(c.req.url).searchParams;
      payload = { kind: 'args', args: firstValues([...query].filter(([key]) => key !== 'apikey')) };
    }
    const outcome = await callRpc(deps.db, deps.lookup, {
      name: c.req.param('fn'),
      payload,
      readOnly: method !== 'POST',
      role: identity.role,
      claims: identity.claims,
      method,
      path: c.req.path,
    });
    if (!outcome.ok) {
      // PostgREST: every 401 from the database (an anonymous 42501, a PT401) says `Bearer`.
      if (outcome.status === 401) c.header('WWW-Authenticate', wwwAuthenticate({ kind: 'bearer' }));
      return c.json(outcome.body, outcome.status as 400);
    }
    if (outcome.status === 204) return c.body(null, 204);
    if (method === 'HEAD') return c.body(null, 200, { 'content-type': JSON_TYPE });
    return c.body(outcome.json, 200, { 'content-type': JSON_TYPE });
  });

  // PostgREST's answer to an internal error: 500 `PGRSTX00`, the cause only in the log.
  rest.onError((error, c) => {
    console.error('local-supabase: unexpected error in REST', error);
    return c.json(INTERNAL_ERROR, 500);
  });

  rest.all('*', (c) =>
    c.json(
      {
        code: 'PGRST205',
        details: null,
        hint: 'The local stand-in serves only /rest/v1/rpc/<function>; tables are read through functions.',
        message: `Could not find ${c.req.path} in the schema cache`,
      },
      404,
    ),
  );
  return rest;
}
