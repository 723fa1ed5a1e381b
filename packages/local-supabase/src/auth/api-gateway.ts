/**
 * What Supabase's gateway checks before any request reaches REST or Auth: an `apikey` (header or
 * query parameter) equal to the project's anon or service key. Returns the 401 body to answer, or
 * undefined when the key is good.
 */
export function apiKeyProblem(
  apikey: string | undefined,
  apiKeys: { anonKey: string; serviceRoleKey: string },
): { message: string; hint: string } | undefined {
  if (!apikey) {
    return {
      message: 'No API key found in request',
      hint: 'No `apikey` request header or url param was found.',
    };
  }
  if (apikey !== apiKeys.anonKey && apikey !== apiKeys.serviceRoleKey) {
    return {
      message: 'Invalid API key',
      hint: 'Double check your Supabase `anon` or `service_role` API key.',
    };
  }
  return undefined;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined when absent or malformed. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
}
