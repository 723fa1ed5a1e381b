/**
 * PostgREST's checks of a verified JWT's time and audience claims, and its fixed words for every
 * way a token fails. Nothing here quotes the token: its text is the caller's, and these messages
 * end up in `WWW-Authenticate`.
 *
 * Taken from PostgREST (github.com/PostgREST/postgrest, `src/library/PostgREST/Auth/Jwt.hs`,
 * `checkForErrors`, and `src/library/PostgREST/Error.hs`, `instance ErrorBody JwtError`, 2026-08).
 */

/** PostgREST's `allowedSkewSeconds`: `exp`, `nbf` and `iat` are compared with this much slack. */
export const ALLOWED_CLOCK_SKEW_SECONDS = 30;

/** Why a token that decoded and verified still does not count (PostgREST: 401 `PGRST303`). */
export type JwtClaimsFailure =
  | 'JWT expired'
  | 'JWT not yet valid'
  | 'JWT issued at future'
  | 'Parsing claims failed'
  | "The JWT 'exp' claim must be a number"
  | "The JWT 'nbf' claim must be a number"
  | "The JWT 'iat' claim must be a number"
  | "The JWT 'aud' claim must be a string or an array of strings";

/** Why a token could not be decoded or verified (PostgREST: 401 `PGRST301`). */
export type JwtDecodeFailure =
  | 'Empty JWT is sent in Authorization header'
  | `Expected 3 parts in JWT; got ${number}`
  | 'Wrong or unsupported encoding algorithm'
  | 'JWT cryptographic operation failed'
  | "JWT couldn't be decoded";

/**
 * The first claim PostgREST would refuse, in its order (`exp`, `nbf`, `iat`, `aud`), or undefined.
 * Times are whole seconds; like PostgREST (`Sci.toBoundedInteger`, else 0) a number that is not a
 * 64-bit integer counts as 0. `aud` is only type-checked: Supabase sets no `jwt-aud`, and then
 * PostgREST accepts any audience.
 *
 * @example
 * checkJwtClaims({ exp: 1 }, 1_800_000_000); // 'JWT expired'
 * checkJwtClaims({ nbf: now + 20 }, now);    // undefined: within the 30 s of skew
 */
export function checkJwtClaims(claims: unknown, nowSeconds: number): JwtClaimsFailure | undefined {
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) return 'Parsing claims failed';
  const c = claims as Record<string, unknown>;
  const time = (v: number) => (Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? v : 0);
  const earliest = nowSeconds - ALLOWED_CLOCK_SKEW_SECONDS;
  const latest = nowSeconds + ALLOWED_CLOCK_SKEW_SECONDS;
  const checks: [string, JwtClaimsFailure, (t: number) => boolean, JwtClaimsFailure][] = [
    ['exp', "The JWT 'exp' claim must be a number", (t) => earliest > t, 'JWT expired'],
    ['nbf', "The JWT 'nbf' claim must be a number", (t) => latest < t, 'JWT not yet valid'],
    ['iat', "The JWT 'iat' claim must be a number", (t) => latest < t, 'JWT issued at future'],
  ];
  for (const [name, notNumber, refused, failure] of checks) {
    const value = c[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number') return notNumber;
    if (refused(time(value))) return failure;
  }
  const aud = c.aud;
  const audOk =
    aud === undefined ||
    aud === null ||
    typeof aud === 'string' ||
    (Array.isArray(aud) && aud.every((a) => typeof a === 'string'));
  return audOk ? undefined : "The JWT 'aud' claim must be a string or an array of strings";
}
