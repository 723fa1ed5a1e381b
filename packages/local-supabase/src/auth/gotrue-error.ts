import type { Context } from 'hono';

/** The API version GoTrue answers with when the client asks for it (supabase-js does). */
export const API_VERSION = '2024-01-01';

/** The statuses the Auth stand-in answers errors with. */
export type GoTrueErrorStatus = 400 | 401 | 403 | 404 | 413 | 422 | 500;

/**
 * GoTrue's error body: `{code, message}` with the `x-supabase-api-version` header when the
 * client asked for API version 2024-01-01, else the older `{code: status, error_code, msg}`
 * (supabase/auth, `internal/api/apierrors`, `HTTPError`). Every answer under `/auth/v1` that is
 * not a success has this shape, 500s included (`unexpected_failure`).
 *
 * @example
 * return goTrueError(c, 400, 'invalid_credentials', 'Invalid login credentials');
 */
export function goTrueError(
  c: Context,
  status: GoTrueErrorStatus,
  errorCode: string,
  message: string,
): Response {
  if (c.req.header('x-supabase-api-version') === API_VERSION) {
    c.header('x-supabase-api-version', API_VERSION);
    return c.json({ code: errorCode, message }, status);
  }
  return c.json({ code: status, error_code: errorCode, msg: message }, status);
}
