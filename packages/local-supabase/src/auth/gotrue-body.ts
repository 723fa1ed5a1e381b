import { MAX_JSON_DEPTH, nestsDeeperThan } from '../server/json-nesting.ts';

/**
 * A GoTrue request body: one JSON object. Anything else is GoTrue's 400 `bad_json` ("Could not
 * parse request body as JSON", supabase/auth `internal/api/helpers.go`, `retrieveRequestParams`).
 * The depth is measured on the raw text first ({@link MAX_JSON_DEPTH}; Go's decoder stops at
 * 10,000 levels with the same answer).
 */
export async function readGoTrueBody(
  request: Request,
): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; message: string }> {
  const text = await request.text();
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    return {
      ok: false,
      message: `Could not parse request body as JSON: nested more than ${MAX_JSON_DEPTH} levels`,
    };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return { ok: true, body: value as Record<string, unknown> };
    }
  } catch {
    // answered below
  }
  return { ok: false, message: 'Could not parse request body as JSON' };
}

/**
 * Whether a string, or any key or string inside an object or array, holds a NUL character.
 * PostgreSQL text and jsonb cannot store one, so no account, password or token the stand-in keeps
 * can contain it. Recursion is safe: bodies are bounded by {@link MAX_JSON_DEPTH}.
 */
export function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, inner]) => key.includes('\0') || holdsNul(inner));
  }
  return false;
}
