/** Every error code a client of this Worker can receive, as one union. */
export type WorkerErrorCode =
  | 'not_found'
  | 'plugin_not_found'
  | 'signature_not_found'
  | 'invalid_plugin_id'
  | 'method_not_allowed'
  | 'invalid_content_length'
  | 'uri_too_long'
  | 'payload_too_large'
  | 'unauthorized'
  | 'registry_unavailable'
  | 'config_unavailable'
  | 'misconfigured'
  | 'internal_error';

/** The JSON body of every error response: `{ "error": { "code", "message" } }`. */
export interface WorkerErrorBody {
  readonly error: { readonly code: WorkerErrorCode; readonly message: string };
}

/**
 * An error response with a JSON body that says what happened and what to do.
 *
 * @example
 * return jsonError(404, 'plugin_not_found', 'no plugin "kanban" in registry version 7');
 */
export function jsonError(
  status: number,
  code: WorkerErrorCode,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const body: WorkerErrorBody = { error: { code, message } };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...headers,
    },
  });
}
