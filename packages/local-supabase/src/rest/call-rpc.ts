import type { ApiRole } from '../auth/request-identity.ts';
import type { Database } from '../database/database.ts';
import { sqlLiteral } from '../database/sql-literal.ts';
import { type FunctionSignature, pickOverload, pickSingleUnnamed } from './function-catalog.ts';
import { type PostgrestErrorBody, postgrestErrorFrom } from './postgrest-error.ts';
import type { RpcPayload } from './rpc-payload.ts';

export interface RpcCall {
  /** The function's name in schema `public`. */
  name: string;
  /** The arguments: a POST body as sent, or the query parameters of a GET (as strings). */
  payload: RpcPayload;
  /** GET/HEAD run in a read-only transaction, as in PostgREST. */
  readOnly: boolean;
  role: ApiRole;
  claims: Record<string, unknown>;
  method: string;
  path: string;
}

export type RpcOutcome =
  | { ok: true; status: 200; json: string }
  | { ok: true; status: 204 }
  | { ok: false; status: number; body: PostgrestErrorBody };

/**
 * Calls a function the way PostgREST does: one transaction, `role` and `request.jwt.claims` set
 * for that transaction only, named arguments converted by `json_to_record` from the body's own
 * text into the declared types (PostgREST: `Query/SqlFragment.hs`, `fromJsonBodyF`, which binds
 * the raw body as `json`), and the result serialised by PostgreSQL itself.
 */
export async function callRpc(
  db: Database,
  lookup: (name: string) => Promise<FunctionSignature[]>,
  call: RpcCall,
): Promise<RpcOutcome> {
  let signatures: FunctionSignature[];
  try {
    signatures = await lookup(call.name);
  } catch (error) {
    return { ok: false, ...postgrestErrorFrom(error, call.role) };
  }
  const chosen = chooseCall(call.name, call.payload, signatures);
  if (!chosen.ok) return { ok: false, status: chosen.status, body: chosen.body };
  const { signature, sql } = chosen;
  // One round trip: the role and claims for this transaction only, then the call.
  const settings = `select set_config('role', ${sqlLiteral(call.role)}, true), set_config('request.jwt.claims', ${sqlLiteral(JSON.stringify(call.claims))}, true), set_config('request.method', ${sqlLiteral(call.method)}, true), set_config('request.path', ${sqlLiteral(call.path)}, true)`;
  try {
    const rows = await db.script<{ body: unknown }>([settings, sql], { readOnly: call.readOnly });
    if (signature.returns === 'void') return { ok: true, status: 204 };
    const body = rows[0]?.body ?? null;
    return { ok: true, status: 200, json: typeof body === 'string' ? body : JSON.stringify(body) };
  } catch (error) {
    const answer = postgrestErrorFrom(error, call.role);
    if (answer.status >= 500 && !/^[0-9A-Z]{5}$/.test(answer.body.code)) {
      console.error(`local-supabase: rpc ${call.name} failed`, error);
    }
    return { ok: false, ...answer };
  }
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The one statement that calls `signature` with the given argument names, read from `argsLiteral` (a JSON object literal). */
export function callSql(signature: FunctionSignature, given: readonly string[], argsLiteral: string): string {
  const args = signature.args.filter((a) => given.includes(a.name));
  const fn = `public.${quoteIdent(signature.name)}(${args.map((a) => `${quoteIdent(a.name)} := _args.${quoteIdent(a.name)}`).join(', ')})`;
  const from =
    args.length > 0
      ? ` from json_to_record(${argsLiteral}::json) as _args(${args.map((a) => `${quoteIdent(a.name)} ${a.type}`).join(', ')})`
      : '';
  return resultSql(signature, fn, from);
}

/** The statement that calls a function of one unnamed parameter with `argSql` (an SQL expression). */
export function callWithOneSql(signature: FunctionSignature, argSql: string): string {
  return resultSql(signature, `public.${quoteIdent(signature.name)}(${argSql})`, '');
}

function resultSql(signature: FunctionSignature, fn: string, from: string): string {
  const rows = from ? `${from} cross join lateral ${fn} as _result` : ` from ${fn} as _result`;
  if (signature.returnsSet) return `select coalesce(json_agg(_result), '[]'::json)::text as body${rows}`;
  if (signature.returns === 'composite') return `select to_json(_result)::text as body${rows}`;
  return `select to_json(${fn})::text as body${from}`;
}

type ChosenCall =
  | { ok: true; signature: FunctionSignature; sql: string }
  | { ok: false; status: 400 | 404; body: PostgrestErrorBody };

/**
 * The overload to call and its statement (PostgREST: `Plan.hs`, `findProc`): named arguments pick
 * the overload; failing that, a POSTed JSON body goes whole to a function with one unnamed `json`
 * or `jsonb` parameter, and a `text/plain`, `text/xml` or octet-stream body only ever goes to one
 * with one unnamed `text`, `xml` or `bytea` parameter.
 */
function chooseCall(name: string, payload: RpcPayload, signatures: readonly FunctionSignature[]): ChosenCall {
  if (payload.kind === 'raw') {
    const signature = pickSingleUnnamed(signatures, payload.type);
    if (!signature) return { ok: false, status: 404, body: rawFunctionNotFound(name, payload.type) };
    if (payload.type === 'bytea') {
      return {
        ok: true,
        signature,
        sql: callWithOneSql(signature, `'\\x${Buffer.from(payload.bytes).toString('hex')}'::bytea`),
      };
    }
    // PostgreSQL text cannot hold NUL, and a NUL would cut the statement short: refuse it as
    // PostgreSQL refuses it when PostgREST binds the body as a parameter.
    if (payload.text.includes('\0')) return { ok: false, status: 400, body: NUL_IN_TEXT };
    return {
      ok: true,
      signature,
      sql: callWithOneSql(signature, `${sqlLiteral(payload.text)}::${payload.type}`),
    };
  }
  const given = payload.kind === 'json' ? payload.keys : Object.keys(payload.args);
  const argsLiteral = sqlLiteral(payload.kind === 'json' ? payload.text : JSON.stringify(payload.args));
  const named = pickOverload(signatures, given);
  if (named) return { ok: true, signature: named, sql: callSql(named, given, argsLiteral) };
  const whole = payload.kind === 'json' ? pickSingleUnnamed(signatures, 'json') : undefined;
  if (whole)
    return {
      ok: true,
      signature: whole,
      sql: callWithOneSql(whole, `${argsLiteral}::${whole.args[0]?.type}`),
    };
  return { ok: false, status: 404, body: functionNotFound(name, given, signatures) };
}

/** PostgreSQL's own error for a NUL in text (SQLSTATE 22021, character_not_in_repertoire). */
const NUL_IN_TEXT: PostgrestErrorBody = {
  code: '22021',
  message: 'invalid byte sequence for encoding "UTF8": 0x00',
  details: null,
  hint: null,
};

function functionNotFound(
  name: string,
  given: readonly string[],
  signatures: readonly FunctionSignature[],
): PostgrestErrorBody {
  const candidate = signatures[0];
  return {
    code: 'PGRST202',
    message: `Could not find the function public.${name}${given.length ? `(${[...given].sort().join(', ')})` : ' without parameters'} in the schema cache`,
    details: `Searched for the function public.${name}${given.length ? ` with parameters ${[...given].sort().join(', ')}` : ' without parameters'} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`,
    hint: candidate
      ? `Perhaps you meant to call the function public.${name}(${candidate.args.map((a) => a.name).join(', ')})`
      : null,
  };
}

/** PostgREST's `NoRpc` for a `text/plain`, `text/xml` or octet-stream body (`Error.hs`): no hint. */
function rawFunctionNotFound(name: string, type: 'text' | 'xml' | 'bytea'): PostgrestErrorBody {
  return {
    code: 'PGRST202',
    message: `Could not find the function public.${name} in the schema cache`,
    details: `Searched for the function public.${name} with a single unnamed ${type} parameter, but no matches were found in the schema cache.`,
    hint: null,
  };
}
