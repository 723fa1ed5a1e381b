import { apiKeyProblem, bearerToken } from './api-gateway.ts';
import type { JwtClaims, JwtKeys } from './jwt-keys.ts';

/** The database roles a request may run as, as in a Supabase project. */
export const API_ROLES = ['anon', 'authenticated', 'service_role'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export type RequestIdentity =
  | { ok: true; role: ApiRole; claims: JwtClaims; token: string }
  | { ok: false; status: 401; body: Record<string, unknown>; wwwAuthenticate?: string };

/**
 * Who a request is, decided as Supabase's gateway and PostgREST decide it:
 *  1. the gateway wants an `apikey` header (or query parameter) equal to the anon or service key;
 *  2. PostgREST verifies the `Authorization: Bearer` JWT (the apikey when there is none) and runs
 *     the request as the JWT's `role` claim, which must be one of {@link API_ROLES}.
 * Verified tokens are remembered until they expire, so the hot path does not re-verify.
 */
export function createIdentityResolver(
  keys: JwtKeys,
  apiKeys: { anonKey: string; serviceRoleKey: string },
): (headers: {
  apikey?: string | undefined;
  authorization?: string | undefined;
}) => Promise<RequestIdentity> {
  const verified = new Map<string, JwtClaims>();
  const MAX_REMEMBERED = 1000;

  async function verify(token: string): Promise<RequestIdentity> {
    const remembered = verified.get(token);
    if (remembered && (remembered.exp === undefined || remembered.exp * 1000 > Date.now())) {
      return identityFrom(remembered, token);
    }
    const check = await keys.verify(token);
    if (!check.ok) {
      verified.delete(token);
      return {
        ok: false,
        status: 401,
        body: {
          code: check.reason === 'expired' ? 'PGRST303' : 'PGRST301',
          details: null,
          hint: null,
          message: check.message,
        },
        wwwAuthenticate: `Bearer error="invalid_token", error_description="${check.message}"`,
      };
    }
    if (verified.size >= MAX_REMEMBERED) verified.clear();
    verified.set(token, check.claims);
    return identityFrom(check.claims, token);
  }

  return async ({ apikey, authorization }) => {
    const gateway = apiKeyProblem(apikey, apiKeys);
    if (gateway) return { ok: false, status: 401, body: gateway };
    if (authorization === undefined) return verify(apikey as string);
    const token = bearerToken(authorization);
    if (!token) {
      return {
        ok: false,
        status: 401,
        body: {
          code: 'PGRST301',
          details: null,
          hint: null,
          message: 'Missing or malformed Authorization header',
        },
      };
    }
    return verify(token);
  };
}

function identityFrom(claims: JwtClaims, token: string): RequestIdentity {
  const role = claims.role;
  if (!API_ROLES.includes(role as ApiRole)) {
    return {
      ok: false,
      status: 401,
      body: {
        code: 'PGRST301',
        details: null,
        hint: `The role claim must be one of ${API_ROLES.join(', ')}`,
        message: `JWT role "${String(role)}" is not allowed`,
      },
    };
  }
  return { ok: true, role: role as ApiRole, claims, token };
}
