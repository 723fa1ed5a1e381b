/** Told of each chunk of a body as it arrives: an attempt's deadline (`AttemptDeadline`). */
export interface BodyProgress {
  progress(): void;
}

/**
 * A response's body, read up to `maxBytes`: `undefined` as soon as it is longer (said by its
 * `content-length`, or counted while reading), and the rest is never downloaded. Each chunk is
 * reported to `body`, so an attempt's deadline sees a slow body still arriving.
 *
 * @example
 * const bytes = await readBoundedBody(response, 8192);
 * if (!bytes) return refuse('larger than 8 KiB');
 */
export async function readBoundedBody(
  response: Response,
  maxBytes: number,
  body?: BodyProgress,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  // With gzip, content-length counts the encoded bytes: fewer than are read, never more.
  const declared = response.headers.get('content-encoding')
    ? Number.NaN
    : Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    return declared > maxBytes ? undefined : new Uint8Array(0);
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    body?.progress();
    length += value.byteLength;
    if (length > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) {
    const only = chunks[0] as Uint8Array;
    if (
      only.byteOffset === 0 &&
      only.byteLength === only.buffer.byteLength &&
      only.buffer instanceof ArrayBuffer
    )
      return only as Uint8Array<ArrayBuffer>;
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
