import type { ApiRole } from '../auth/request-identity.ts';
import type { Database } from '../database/database.ts';
import { sqlLiteral } from '../database/sql-literal.ts';
import { type FunctionSignature, pickOverload } from './function-catalog.ts';
import { type PostgrestErrorBody, postgrestErrorFrom } from './postgrest-error.ts';

export interface RpcCall {
  /** The function's name in schema `public`. */
  name: string;
  /** Named arguments: the JSON body of a POST, or the query parameters of a GET (as strings). */
  args: Record<string, unknown>;
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
 * for that transaction only, named arguments converted by `json_to_record` into the declared
 * types, and the result serialised by PostgreSQL itself.
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
  const given = Object.keys(call.args);
  const signature = pickOverload(signatures, given);
  if (!signature) return { ok: false, status: 404, body: functionNotFound(call.name, given, signatures) };
  // One round trip: the role and claims for this transaction only, then the call.
  const settings = `select set_config('role', ${sqlLiteral(call.role)}, true), set_config('request.jwt.claims', ${sqlLiteral(JSON.stringify(call.claims))}, true), set_config('request.method', ${sqlLiteral(call.method)}, true), set_config('request.path', ${sqlLiteral(call.path)}, true)`;
  try {
    const rows = await db.script<{ body: unknown }>(
      [settings, callSql(signature, given, sqlLiteral(JSON.stringify(call.args)))],
      { readOnly: call.readOnly },
    );
    if (signature.returns === 'void') return { ok: true, status: 204 };
    const body = rows[0]?.body ?? null;
    return { ok: true, status: 200, json: typeof body === 'string' ? body : JSON.stringify(body) };
  } catch (error) {
    return { ok: false, ...postgrestErrorFrom(error, call.role) };
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
  const rows = from ? `${from} cross join lateral ${fn} as _result` : ` from ${fn} as _result`;
  if (signature.returnsSet) return `select coalesce(json_agg(_result), '[]'::json)::text as body${rows}`;
  if (signature.returns === 'composite') return `select to_json(_result)::text as body${rows}`;
  return `select to_json(${fn})::text as body${from}`;
}

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
