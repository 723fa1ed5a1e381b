import type { JwtClaimsFailure, JwtDecodeFailure } from './jwt-claims.ts';

/**
 * The one writer of `WWW-Authenticate` values. Every 401 the stand-in answers carries one, as
 * PostgREST and Supabase's gateway do, and no value ever holds request text: only the fixed
 * sentences of {@link JwtDecodeFailure} and {@link JwtClaimsFailure}, which hold no `"`, `\` or
 * line break.
 */
export type Challenge =
  /** PostgREST's `invalidTokenHeader` (a JWT that failed to decode, verify or pass its claims). */
  | { kind: 'invalid-token'; description: JwtDecodeFailure | JwtClaimsFailure }
  /** PostgREST's header on any other 401 (`Error.hs`: `headers err = if status err == 401 then Bearer`). */
  | { kind: 'bearer' }
  /** Kong's key-auth plugin on a missing or unknown API key (`Key realm="kong"`). */
  | { kind: 'api-key' };

/**
 * @example
 * wwwAuthenticate({ kind: 'invalid-token', description: 'JWT expired' });
 * // 'Bearer error="invalid_token", error_description="JWT expired"'
 */
export function wwwAuthenticate(challenge: Challenge): string {
  switch (challenge.kind) {
    case 'invalid-token':
      return `Bearer error="invalid_token", error_description="${challenge.description}"`;
    case 'bearer':
      return 'Bearer';
    case 'api-key':
      return 'Key realm="kong"';
  }
}
