import type { Handler } from 'hono';
import { jsonError } from './json-error.ts';

/**
 * The answer for a known path asked with a method it does not support: 405 with `Allow`.
 *
 * @example
 * app.all('/api/plugins', methodNotAllowed(['GET', 'HEAD', 'OPTIONS']));
 */
export function methodNotAllowed(allowed: readonly string[]): Handler {
  const allow = allowed.join(', ');
  return function refuseMethod(c) {
    return jsonError(405, 'method_not_allowed', `${c.req.method} is not supported here; use ${allow}`, {
      allow,
    });
  };
}
