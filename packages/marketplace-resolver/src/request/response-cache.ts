/** A cached response body, kept to answer a 304 (conditional request) without re-downloading. */
export interface CachedResponse {
  readonly etag: string;
  readonly status: number;
  readonly body: ArrayBuffer;
  readonly headers: readonly [string, string][];
}

/**
 * Bodies of GET responses that carried an ETag, by URL, least recently used first out once the
 * byte budget is spent.
 */
export class ResponseCache {
  private readonly entries = new Map<string, CachedResponse>();
  private bytes = 0;

  constructor(private readonly maxBytes = 4 * 1024 * 1024) {}

  get(url: string): CachedResponse | undefined {
    const entry = this.entries.get(url);
    if (entry) {
      this.entries.delete(url);
      this.entries.set(url, entry);
    }
    return entry;
  }

  set(url: string, entry: CachedResponse): void {
    if (entry.body.byteLength > this.maxBytes) return;
    this.delete(url);
    this.entries.set(url, entry);
    this.bytes += entry.body.byteLength;
    for (const [key, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= old.body.byteLength;
    }
  }

  delete(url: string): void {
    const old = this.entries.get(url);
    if (!old) return;
    this.entries.delete(url);
    this.bytes -= old.body.byteLength;
  }
}
