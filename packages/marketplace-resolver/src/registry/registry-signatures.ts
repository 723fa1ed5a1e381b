import {
  MarketplaceError,
  parseRateLimit,
  REGISTRY_SIGNATURE_LIMITS,
  registrySignatureUrl,
  type SourceKind,
} from '@cartae/marketplace-core';
import type { AttemptContext } from '../request/attempt-loop.ts';
import { readBoundedBody } from '../request/bounded-body.ts';
import { entityTagOf, ifNoneMatch } from '../request/entity-tags.ts';
import { recordRateLimit } from '../request/record-judgement.ts';
import { fetchUncached } from '../request/uncached-fetch.ts';
import { sha256Hex } from './sha256-hex.ts';

/** The signature file a source serves for the registry bytes it just served. */
export type SignatureFetch =
  | {
      readonly ok: true;
      /** The file's text; undefined when the source has none (404, 410). */
      readonly text: string | undefined;
      readonly url: string;
      /** SHA-256 of the registry bytes, hex: the key of the verified copy. */
      readonly digest: string;
    }
  | { readonly ok: false; readonly error: MarketplaceError };

/**
 * Fetches the detached signature (`api/plugins.sig`: the registry URL + `.sig`) of a registry
 * answer, from the source that gave it, for apps that ship keys. One request per new registry:
 * the last verified file is kept by the SHA-256 of the registry bytes it signs, so the same
 * bytes again (from either source) cost no request, and each source's file by its ETag, so a
 * changed registry whose signature did not change costs a 304. A registry 304 never gets here.
 */
export class RegistrySignatures {
  private readonly files = new Map<string, { readonly etag: string; readonly text: string }>();
  private verified: { readonly digest: string; readonly text: string } | undefined;

  constructor(private readonly ctx: AttemptContext) {}

  /**
   * The signature for `bytes` as `source` serves it next to `registryUrl`. A transport failure
   * throws (the attempt then fails as a timeout or network error, as the registry's own would);
   * an HTTP failure is a refusal of this answer.
   */
  async fetchFor(
    bytes: Uint8Array<ArrayBuffer>,
    source: SourceKind,
    registryUrl: string,
    signal: AbortSignal,
  ): Promise<SignatureFetch> {
    const url = registrySignatureUrl(registryUrl);
    if (!globalThis.crypto?.subtle) {
      const message = `${source}: registry signature cannot be checked: this runtime has no WebCrypto (crypto.subtle; an insecure browser context?)`;
      return { ok: false, error: new MarketplaceError('registry_signature_invalid', message, { source }) };
    }
    const digest = await sha256Hex(bytes);
    if (this.verified?.digest === digest) return { ok: true, text: this.verified.text, url, digest };
    const { platform } = this.ctx;
    const held = this.files.get(url);
    const response = await fetchUncached(platform.fetch, url, {
      signal,
      ...(held ? { headers: ifNoneMatch(held.etag) } : {}),
    });
    const now = platform.clock.now();
    const rateLimit = parseRateLimit(response.status, response.headers, now);
    recordRateLimit(this.ctx, source, rateLimit, now);
    const refuse = (
      code: 'source_rate_limited' | 'source_http_error' | 'registry_signature_invalid',
      what: string,
    ) => {
      void response.body?.cancel().catch(() => undefined);
      const error = new MarketplaceError(code, `${source}: ${what} (${url})`, {
        source,
        status: response.status,
      });
      return { ok: false, error } as const;
    };
    if (rateLimit.limited)
      return refuse('source_rate_limited', `rate-limited the registry's signature (HTTP ${response.status})`);
    if (response.status === 304 && held) return { ok: true, text: held.text, url, digest };
    if (response.status === 404 || response.status === 410) {
      void response.body?.cancel().catch(() => undefined);
      return { ok: true, text: undefined, url, digest };
    }
    if (response.status < 200 || response.status >= 300)
      return refuse('source_http_error', `answered HTTP ${response.status} for the registry's signature`);
    const body = await readBoundedBody(response, REGISTRY_SIGNATURE_LIMITS.maxBytes);
    if (!body)
      return refuse(
        'registry_signature_invalid',
        `registry signature malformed: larger than ${REGISTRY_SIGNATURE_LIMITS.maxBytes} bytes`,
      );
    const text = new TextDecoder().decode(body);
    const etag = entityTagOf(response);
    if (etag) this.files.set(url, { etag, text });
    return { ok: true, text, url, digest };
  }

  /** The file verified for the registry bytes whose SHA-256 is `digest`: those bytes again cost nothing. */
  accepted(digest: string, text: string): void {
    this.verified = { digest, text };
  }
}
