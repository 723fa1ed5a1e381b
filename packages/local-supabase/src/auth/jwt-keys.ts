import { compactVerify, errors, SignJWT } from 'jose';
import { checkJwtClaims, type JwtClaimsFailure, type JwtDecodeFailure } from './jwt-claims.ts';

/**
 * HS256 JWTs signed with one shared secret, as a Supabase project's JWT secret signs its API
 * keys and its users' access tokens.
 */
export interface JwtKeys {
  /** Signs `claims` (plus `iat`, now unless given, and `exp` when `expiresInSeconds` is given). */
  sign(claims: Record<string, unknown>, expiresInSeconds?: number, issuedAt?: number): Promise<string>;
  /**
   * Verifies algorithm and signature only, and reads the claims. Never throws: a typed failure,
   * whose message is one of PostgREST's fixed sentences and never quotes the token.
   */
  verifySignature(token: string): Promise<JwtCheck>;
  /** {@link verifySignature}, then PostgREST's claim checks (`exp`, `nbf`, `iat` with 30 s of skew, `aud`). */
  verify(token: string): Promise<JwtCheck>;
}

/** A failed check: `decode` is PostgREST's `PGRST301`, `claims` its `PGRST303`. */
export type JwtCheck =
  | { ok: true; claims: JwtClaims }
  | { ok: false; reason: 'decode'; message: JwtDecodeFailure }
  | { ok: false; reason: 'claims'; message: JwtClaimsFailure };

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
    async verifySignature(token) {
      return verifyHs256(token, key);
    },
    async verify(token) {
      const check = await verifyHs256(token, key);
      if (!check.ok) return check;
      const failure = checkJwtClaims(check.claims, Math.floor(Date.now() / 1000));
      return failure ? { ok: false, reason: 'claims', message: failure } : check;
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

/**
 * The signature check, with PostgREST's words for each failure (`Error.hs`, `JwtDecodeErr`). jose's
 * own messages are not used: some quote the token's header (an unknown `crit` name, say), and
 * these messages go into `WWW-Authenticate`.
 */
async function verifyHs256(token: string, key: Uint8Array): Promise<JwtCheck> {
  const decodeFailure = (message: JwtDecodeFailure): JwtCheck => ({ ok: false, reason: 'decode', message });
  if (token === '') return decodeFailure('Empty JWT is sent in Authorization header');
  const parts = token.split('.').length;
  if (parts !== 3) return decodeFailure(`Expected 3 parts in JWT; got ${parts}`);
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(token, key, { algorithms: ['HS256'] }));
  } catch (error) {
    if (error instanceof errors.JOSEAlgNotAllowed)
      return decodeFailure('Wrong or unsupported encoding algorithm');
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return decodeFailure('JWT cryptographic operation failed');
    }
    return decodeFailure("JWT couldn't be decoded");
  }
  try {
    const claims: unknown = JSON.parse(new TextDecoder().decode(payload));
    if (claims !== null && typeof claims === 'object' && !Array.isArray(claims)) {
      return { ok: true, claims: claims as JwtClaims };
    }
  } catch {
    // answered below
  }
  return { ok: false, reason: 'claims', message: 'Parsing claims failed' };
}
