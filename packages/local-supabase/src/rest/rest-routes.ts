import { Hono } from 'hono';
import type { RequestIdentity } from '../auth/request-identity.ts';
import type { Database } from '../database/database.ts';
import { callRpc } from './call-rpc.ts';
import type { FunctionSignature } from './function-catalog.ts';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * `/rest/v1/rpc/:fn` as PostgREST serves it: POST with named arguments in a JSON object, GET
 * (and HEAD) with them as query parameters in a read-only transaction. Tables are not served.
 */
export function createRestRoutes(deps: {
  db: Database;
  lookup: (name: string) => Promise<FunctionSignature[]>;
  identify: (headers: { apikey?: string; authorization?: string }) => Promise<RequestIdentity>;
}): Hono {
  const rest = new Hono();

  rest.on(['GET', 'HEAD', 'POST'], '/rpc/:fn', async (c) => {
    const identity = await deps.identify({
      apikey: c.req.header('apikey') ?? c.req.query('apikey'),
      authorization: c.req.header('authorization'),
    });
    if (!identity.ok) {
      if (identity.wwwAuthenticate) c.header('WWW-Authenticate', identity.wwwAuthenticate);
      return c.json(identity.body, identity.status);
    }
    const method = c.req.method;
    let args: Record<string, unknown>;
    if (method === 'POST') {
      const parsed = await readJsonObject(c.req.raw);
      if (!parsed.ok) return c.json(parsed.body, 400);
      args = parsed.value;
    } else {
      args = {};
      for (const [key, values] of Object.entries(c.req.queries())) {
        if (key !== 'apikey' && values[0] !== undefined) args[key] = values[0];
      }
    }
    const outcome = await callRpc(deps.db, deps.lookup, {
      name: c.req.param('fn'),
      args,
      readOnly: method !== 'POST',
      role: identity.role,
      claims: identity.claims,
      method,
      path: c.req.path,
    });
    if (!outcome.ok) return c.json(outcome.body, outcome.status as 400);
    if (outcome.status === 204) return c.body(null, 204);
    if (method === 'HEAD') return c.body(null, 200, { 'content-type': JSON_TYPE });
    return c.body(outcome.json, 200, { 'content-type': JSON_TYPE });
  });

  rest.all('/rpc/:fn', (c) =>
    c.json(
      { code: 'PGRST117', details: null, hint: null, message: `Unsupported HTTP method: ${c.req.method}` },
      405,
    ),
  );

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

async function readJsonObject(
  request: Request,
): Promise<{ ok: true; value: Record<string, unknown> } | { ok: false; body: Record<string, unknown> }> {
  const text = await request.text();
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return { ok: true, value: value as Record<string, unknown> };
    }
  } catch {
    // answered below
  }
  return {
    ok: false,
    body: {
      code: 'PGRST102',
      details: null,
      hint: 'Send the named arguments as one JSON object.',
      message: 'Empty or invalid json',
    },
  };
}
