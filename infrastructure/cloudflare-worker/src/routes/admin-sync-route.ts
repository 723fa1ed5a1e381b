import { type AppContext, mirrorDependencies } from '../app-env.ts';
import { bearerTokenMatches } from '../http/bearer-token.ts';
import { jsonError } from '../http/json-error.ts';
import { mirrorOnce } from '../registry/current-registry.ts';

const STATUS_BY_RESULT = {
  updated: 200,
  unchanged: 200,
  'not-modified': 200,
  skipped: 200,
  'rejected-older': 409,
  'rate-limited': 503,
  failed: 502,
} as const;

/** POST /admin/sync (Authorization: Bearer ADMIN_TOKEN): mirror the Git registry now. */
export async function adminSync(c: AppContext): Promise<Response> {
  const authorised = await bearerTokenMatches(c.req.header('authorization') ?? null, c.env.ADMIN_TOKEN);
  if (!authorised) {
    return jsonError(401, 'unauthorized', 'send Authorization: Bearer <ADMIN_TOKEN>', {
      'www-authenticate': 'Bearer realm="cartae-marketplace-admin"',
    });
  }
  const outcome = await mirrorOnce({ ...mirrorDependencies(c), force: true });
  const { snapshot, ...rest } = outcome;
  const status = STATUS_BY_RESULT[outcome.result];
  return c.json(
    {
      ...rest,
      ...(rest.retryAt === undefined ? {} : { retryAt: new Date(rest.retryAt).toISOString() }),
      ...(snapshot === undefined ? {} : { etag: snapshot.meta.etag }),
    },
    status,
    { 'cache-control': 'no-store' },
  );
}
