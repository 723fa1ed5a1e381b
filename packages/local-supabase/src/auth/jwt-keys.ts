import { errors, jwtVerify, SignJWT } from 'jose';

/**
 * HS256 JWTs signed with one shared secret, as a Supabase project's JWT secret signs its API
 * keys and its users' access tokens.
 */
export interface JwtKeys {
  /** Signs `claims` (plus `iat`, now unless given, and `exp` when `expiresInSeconds` is given). */
  sign(claims: Record<string, unknown>, expiresInSeconds?: number, issuedAt?: number): Promise<string>;
  /** Verifies signature, algorithm and expiry. Never throws: a typed failure instead. */
  verify(token: string): Promise<JwtCheck>;
}

export type JwtCheck =
  | { ok: true; claims: JwtClaims }
  | { ok: false; reason: 'expired' | 'invalid'; message: string };

export interface JwtClaims extends Record<string, unknown> {
  role?: string;
  sub?: string;
  exp?: number;
  session_id?: string;
}

/** The smallest secret accepted: Supabase asks for at least 32 characters. */
export const MIN_JWT_SECRET_LENGTH = 32;

export function createJwtKeys(secret: string): JwtKeys {
  if (secret.length < MIN_JWT_SECRET_LENGTH) {
    throw new Error(`The JWT secret must be at least ${MIN_JWT_SECRET_LENGTH} characters long`);
  }
  const key = new TextEncoder().encode(secret);
  return {
    async sign(claims, expiresInSeconds, issuedAt) {
      const now = issuedAt ?? Math.floor(Date.now() / 1000);
      const jwt = new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt(now);
      if (expiresInSeconds !== undefined) jwt.setExpirationTime(now + expiresInSeconds);
      return jwt.sign(key);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
        return { ok: true, claims: payload as JwtClaims };
      } catch (error) {
        if (error instanceof errors.JWTExpired)
          return { ok: false, reason: 'expired', message: 'JWT expired' };
        return { ok: false, reason: 'invalid', message: describeJwtFailure(error) };
      }
    },
  };
}

/** 2025-01-01T00:00:00Z: API keys carry fixed times, so one secret always gives the same keys. */
const API_KEYS_ISSUED_AT = 1_735_689_600;

/** The anon and service-role API keys: long-lived JWTs carrying only a role, like Supabase's. */
export async function createApiKeys(keys: JwtKeys): Promise<{ anonKey: string; serviceRoleKey: string }> {
  const tenYears = 10 * 365 * 24 * 3600;
  const [anonKey, serviceRoleKey] = await Promise.all([
    keys.sign({ iss: 'supabase-local', role: 'anon' }, tenYears, API_KEYS_ISSUED_AT),
    keys.sign({ iss: 'supabase-local', role: 'service_role' }, tenYears, API_KEYS_ISSUED_AT),
  ]);
  return { anonKey, serviceRoleKey };
}

function describeJwtFailure(error: unknown): string {
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'JWSError JWSInvalidSignature';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return 'JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 1)';
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'JWSError JWSInvalidSignature';
  return `JWT is invalid: ${(error as Error).message}`;
}
