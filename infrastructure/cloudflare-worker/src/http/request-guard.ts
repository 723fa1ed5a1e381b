import type { MiddlewareHandler } from 'hono';
import { jsonError } from './json-error.ts';

export interface RequestGuardOptions {
  /** Longest accepted URL, in characters. */
  readonly maxUrlLength: number;
  /** Largest accepted request body, in bytes, for routes that do not read their body. */
  readonly maxBodyBytes: number;
  /**
   * Routes that read their own body, with their own limit and their own answer to an oversize
   * one (`'POST /api/config'`): the guard leaves their body alone.
   */
  readonly ownBodies?: readonly string[];
}

async function readAtMost(stream: ReadableStream<Uint8Array>, limit: number): Promise<number | undefined> {
  const reader = stream.getReader();
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return total;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return undefined;
    }
  }
}

/**
 * Turns requests no route can sensibly answer into clear 4xx errors before any work is done:
 * overlong URLs (414), a `Content-Length` that is not a number of bytes (400) and oversize bodies
 * (413, except on `ownBodies` routes). Install it after the CORS middleware, so browsers can read
 * these errors too.
 *
 * @example
 * app.use(requestGuard({ maxUrlLength: 2048, maxBodyBytes: 1024 }));
 */
export function requestGuard(options: RequestGuardOptions): MiddlewareHandler {
  return async function guardRequest(c, next) {
    if (c.req.url.length > options.maxUrlLength) {
      return jsonError(414, 'uri_too_long', `URLs are limited to ${options.maxUrlLength} characters`);
    }
    const declared = c.req.header('content-length');
    if (declared !== undefined && !/^\d{1,15}$/.test(declared.trim())) {
      return jsonError(
        400,
        'invalid_content_length',
        'the Content-Length header must be a whole number of bytes (digits only); send a valid one or none',
      );
    }
    if (options.ownBodies?.includes(`${c.req.method} ${c.req.path}`)) return next();
    const tooLarge = () =>
      jsonError(413, 'payload_too_large', `request bodies are limited to ${options.maxBodyBytes} bytes`);
    if (declared !== undefined && Number(declared) > options.maxBodyBytes) return tooLarge();
    if (declared === undefined && c.req.raw.body !== null) {
      // A body of unknown length: read at most the limit, and refuse anything longer.
      const body = await readAtMost(c.req.raw.body, options.maxBodyBytes);
      if (body === undefined) return tooLarge();
    }
    await next();
  };
}
