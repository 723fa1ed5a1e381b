/** The only reader of `retry-after` and `x-ratelimit-*` headers in the project. */
export interface RateLimitInfo {
  /** The response says the client is rate-limited (429, or 403 with no requests remaining). */
  readonly limited: boolean;
  /** When the source may be asked again, epoch ms, if the response says. */
  readonly retryAt?: number;
  readonly remaining?: number;
  readonly limit?: number;
  /** When the quota resets, epoch ms (`x-ratelimit-reset`, seconds since epoch on GitHub). */
  readonly resetAt?: number;
}

export interface HeaderReader {
  get(name: string): string | null;
}

function readInteger(headers: HeaderReader, name: string): number | undefined {
  const raw = headers.get(name);
  if (raw === null || !/^\s*\d{1,15}\s*$/.test(raw)) return undefined;
  return Number(raw.trim());
}

/** Parses `retry-after` as delay seconds or an HTTP date into an absolute epoch-ms time. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,10}$/.test(trimmed)) return now + Number(trimmed) * 1000;
  // Only an HTTP date (IMF-fixdate, RFC 850 or asctime) names a weekday; anything else is junk.
  if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(now, date);
}

const NOT_LIMITED: RateLimitInfo = Object.freeze({ limited: false });

/**
 * Reads a response's rate-limit state.
 *
 * @example
 * parseRateLimit(429, new Headers({ 'retry-after': '60' }), 0); // { limited: true, retryAt: 60000 }
 */
export function parseRateLimit(status: number, headers: HeaderReader, now: number): RateLimitInfo {
  const remaining = readInteger(headers, 'x-ratelimit-remaining');
  const limited = status === 429 || (status === 403 && remaining === 0);
  // The common answer (a CDN, no quota headers, not limited) reads one header, not four.
  if (remaining === undefined && !limited) return NOT_LIMITED;
  const limit = readInteger(headers, 'x-ratelimit-limit');
  const resetSeconds = readInteger(headers, 'x-ratelimit-reset');
  const resetAt = resetSeconds === undefined ? undefined : resetSeconds * 1000;
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
  const retryAt = limited
    ? (retryAfter ?? (resetAt !== undefined && resetAt > now ? resetAt : undefined))
    : undefined;
  return {
    limited,
    ...(retryAt === undefined ? {} : { retryAt }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(limit === undefined ? {} : { limit }),
    ...(resetAt === undefined ? {} : { resetAt }),
  };
}
