/** A request body read with a size limit. */
export type BoundedBody =
  | { readonly kind: 'empty' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'too_large' }
  | { readonly kind: 'unreadable' };

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a request's body as UTF-8 text, at most `maxBytes`: a longer body (declared or not) is
 * not read further. Never throws: a body that cannot be read or decoded is `unreadable`.
 *
 * @example
 * const body = await readBoundedText(request, 4096); // { kind: 'text', text: '{"schemaVersion":1,…}' }
 */
export async function readBoundedText(request: Request, maxBytes: number): Promise<BoundedBody> {
  const stream = request.body;
  if (stream === null) return { kind: 'empty' };
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  const reader = stream.getReader();
  try {
    if (declared > maxBytes) {
      await reader.cancel();
      return { kind: 'too_large' };
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        return { kind: 'too_large' };
      }
      chunks.push(value);
    }
    if (total === 0) return { kind: 'empty' };
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return { kind: 'text', text: decoder.decode(bytes) };
  } catch {
    return { kind: 'unreadable' };
  } finally {
    reader.releaseLock();
  }
}
