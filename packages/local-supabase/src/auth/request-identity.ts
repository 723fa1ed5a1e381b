import { apiKeyProblem, bearerToken } from './api-gateway.ts';
import { checkJwtClaims, type JwtClaimsFailure, type JwtDecodeFailure } from './jwt-claims.ts';
import type { JwtClaims, JwtKeys } from './jwt-keys.ts';
import type { Challenge } from './www-authenticate.ts';

/** The database roles a request may run as, as in a Supabase project. */
export const API_ROLES = ['anon', 'authenticated', 'service_role'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export type RequestIdentity =
  | { ok: true; role: ApiRole; claims: JwtClaims; token: string }
  | { ok: false; status: 401; body: Record<string, unknown>; challenge: Challenge };

/**
 * Who a request is, decided as Supabase's gateway and PostgREST decide it:
 *  1. the gateway wants an `apikey` header (or query parameter) equal to the anon or service key;
 *  2. PostgREST verifies the `Authorization: Bearer` JWT (the apikey when there is none) and runs
 *     the request as the JWT's `role` claim, which must be one of {@link API_ROLES}.
 * Tokens whose signature verified are remembered, so the hot path does not re-verify them; their
 * claims (`exp`, `nbf`, `iat`) are checked again on every request. Every refusal is a 401 with a
 * `WWW-Authenticate` challenge that holds none of the request's text.
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
    let claims = verified.get(token);
    if (!claims) {
      const check = await keys.verifySignature(token);
      if (!check.ok) return invalidToken(check.reason === 'decode' ? 'PGRST301' : 'PGRST303', check.message);
      if (verified.size >= MAX_REMEMBERED) verified.clear();
      verified.set(token, check.claims);
      claims = check.claims;
    }
    const failure = checkJwtClaims(claims, Math.floor(Date.now() / 1000));
    if (failure) return invalidToken('PGRST303', failure);
    return identityFrom(claims, token);
  }

  return async ({ apikey, authorization }) => {
    const gateway = apiKeyProblem(apikey, apiKeys);
    if (gateway) return { ok: false, status: 401, body: gateway, challenge: { kind: 'api-key' } };
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
        challenge: { kind: 'bearer' },
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
      challenge: { kind: 'bearer' },
    };
  }
  return { ok: true, role: role as ApiRole, claims, token };
}

/** PostgREST's answer to a token that failed: 401, its fixed message, `error="invalid_token"`. */
function invalidToken(
  code: 'PGRST301' | 'PGRST303',
  message: JwtDecodeFailure | JwtClaimsFailure,
): RequestIdentity {
  return {
    ok: false,
    status: 401,
    body: { code, details: null, hint: null, message },
    challenge: { kind: 'invalid-token', description: message },
  };
}
