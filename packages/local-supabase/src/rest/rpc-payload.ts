import { MAX_JSON_DEPTH, nestsDeeperThan } from '../server/json-nesting.ts';
import type { PostgrestErrorBody } from './postgrest-error.ts';

/**
 * The arguments of one rpc call, as PostgREST takes them from the request
 * (`src/library/PostgREST/ApiRequest/Payload.hs`, `getPayload`):
 * - `json`: the body exactly as sent, which reaches SQL as text (`json_to_record`), so numbers
 *   keep every digit and PostgreSQL alone decides what they mean; `keys` pick the overload;
 * - `args`: named string values (GET query parameters, or a form-urlencoded body);
 * - `raw`: a `text/plain`, `text/xml` or `application/octet-stream` body, for a function with a
 *   single unnamed `text`, `xml` or `bytea` parameter.
 */
export type RpcPayload =
  | { kind: 'json'; text: string; keys: string[] }
  | { kind: 'args'; args: Record<string, string> }
  | { kind: 'raw'; type: 'text' | 'xml'; text: string }
  | { kind: 'raw'; type: 'bytea'; bytes: Uint8Array };

export type PayloadRead = { ok: true; payload: RpcPayload } | { ok: false; body: PostgrestErrorBody };

/** Reads a POST body by its `Content-Type`, as PostgREST does; a refusal is a 400 `PGRST102`. */
export async function readRpcPayload(request: Request): Promise<PayloadRead> {
  const mediaType = mediaTypeOf(request.headers.get('content-type'));
  switch (mediaType) {
    case 'application/json':
      return readJsonArguments(await request.text());
    case 'application/x-www-form-urlencoded':
      return {
        ok: true,
        payload: { kind: 'args', args: firstValues(new URLSearchParams(await request.text())) },
      };
    case 'text/plain':
      return { ok: true, payload: { kind: 'raw', type: 'text', text: await request.text() } };
    case 'text/xml':
      return { ok: true, payload: { kind: 'raw', type: 'xml', text: await request.text() } };
    case 'application/octet-stream':
      return {
        ok: true,
        payload: { kind: 'raw', type: 'bytea', bytes: new Uint8Array(await request.arrayBuffer()) },
      };
    default:
      return invalidBody(
        `Content-Type not acceptable: ${mediaType}`,
        null,
        'Send application/json; text/plain, text/xml and application/octet-stream reach a function with one unnamed text, xml or bytea parameter.',
      );
  }
}

/** The first value of each name: the GET query and form bodies. */
export function firstValues(params: Iterable<[string, string]>): Record<string, string> {
  const args: Record<string, string> = {};
  for (const [key, value] of params) if (!(key in args)) args[key] = value;
  return args;
}

/**
 * A JSON object of named arguments. Its nesting depth is measured on the raw text before anything
 * recursive runs (see {@link MAX_JSON_DEPTH}); only then is it parsed, for its keys and to refuse
 * what is not JSON. An empty body is `{}`, as PostgREST reads it for rpc.
 */
export function readJsonArguments(text: string): PayloadRead {
  if (text === '') return { ok: true, payload: { kind: 'json', text: '{}', keys: [] } };
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    return invalidBody(
      'Empty or invalid json',
      `The local stand-in refuses JSON nested more than ${MAX_JSON_DEPTH} levels deep.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // PostgREST answers every parse failure with one generic message (PostgREST issue #2344).
    return invalidBody('Empty or invalid json', null);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return invalidBody('Empty or invalid json', null);
  }
  return { ok: true, payload: { kind: 'json', text, keys: Object.keys(value) } };
}

function invalidBody(
  message: string,
  details: string | null,
  hint = 'Send the named arguments as one JSON object.',
): PayloadRead {
  return { ok: false, body: { code: 'PGRST102', message, details, hint } };
}

/** PostgREST's `decodeMediaType`, reduced to the types an rpc body may have; no header is JSON. */
function mediaTypeOf(header: string | null): string {
  if (header === null) return 'application/json';
  return header.split(';')[0]?.trim().toLowerCase() ?? '';
}
