import {
  MarketplaceError,
  type MarketplaceSourceConfig,
  type OpenedRegistry,
  openRegistry,
  openSignedRegistry,
  REGISTRY_LIMITS,
  type RegistryDocument,
  type Result,
  type SourceKind,
  type TrustedRegistryKey,
  type UrlPolicy,
  withinExpiry,
} from '@cartae/marketplace-core';
import {
  type AttemptContext,
  type AttemptHandler,
  type AttemptVerdict,
  runAttempts,
} from '../request/attempt-loop.ts';
import { type BodyProgress, readBoundedBody } from '../request/bounded-body.ts';
import { entityTagOf, ifNoneMatch } from '../request/entity-tags.ts';
import {
  persistHighestVersion,
  persistRegistry,
  restoreHighestVersion,
  restoreRegistry,
  restoreRegistrySignature,
} from './registry-persistence.ts';
import type { RegistryResult } from './registry-result.ts';
import { RegistrySignatures } from './registry-signatures.ts';

const REGISTRY_ROUTE = { name: 'registry' } as const;

interface GoodRegistry {
  readonly registry: RegistryDocument;
  readonly signedBy: string | undefined;
  readonly source: SourceKind;
  readonly url: string;
  readonly fetchedAt: number;
}

export interface RegistryReaderOptions {
  readonly urlPolicy: UrlPolicy;
  readonly trustedKeys: readonly TrustedRegistryKey[];
}

/**
 * Fetches, verifies and remembers the registry. Holds one parsed copy (the last good one) and,
 * per source URL, the ETag of that copy, so an unchanged registry costs a 304 and no parsing.
 * An app that ships keys also asks the answering source for the registry's detached signature
 * (`registry-signatures.ts`) and refuses the answer unless a trusted key signed those bytes; an app
 * without keys never asks for it and reads the registry exactly as before.
 */
export class RegistryReader {
  private lastGood: GoodRegistry | undefined;
  private readonly etags = new Map<string, { etag: string; version: number }>();
  private highestVersion: number | undefined;
  private loadedPersisted = false;
  private readonly signatures: RegistrySignatures;

  private readonly handler: AttemptHandler<GoodRegistry> = {
    headersFor: (url) => {
      return ifNoneMatch(this.etagFor(url));
    },
    handle: (response, source, url, signal, body) => this.judge(response, source, url, signal, body),
  };

  constructor(
    private readonly ctx: AttemptContext,
    private readonly options: RegistryReaderOptions,
  ) {
    this.signatures = new RegistrySignatures(ctx);
  }

  private get keyed(): boolean {
    return this.options.trustedKeys.length > 0;
  }

  /**
   * Judges one source's answer: a 304 confirms the copy held, a 2xx must open as a valid registry.
   * The body is read chunk by chunk, each reported to `body` (the attempt's deadline), so a slow
   * download that keeps arriving is never cut for taking long (`request/body-limits.ts`).
   */
  private async judge(
    response: Response,
    source: SourceKind,
    url: string,
    signal: AbortSignal | undefined,
    body?: BodyProgress,
  ): Promise<AttemptVerdict<GoodRegistry>> {
    const { platform } = this.ctx;
    const now = platform.clock.now();
    if (response.status === 304) {
      const good = this.lastGood;
      if (!good)
        return {
          ok: false,
          error: new MarketplaceError('source_http_error', `${source} answered 304 but no copy is held`, {
            source,
          }),
        };
      const stillValid = withinExpiry(good.registry.expires, now);
      if (!stillValid)
        return {
          ok: false,
          error: new MarketplaceError(
            'registry_expired',
            `registry version ${good.registry.version} has expired`,
            { source },
          ),
        };
      return { ok: true, value: { ...good, source, url, fetchedAt: now } };
    }
    const bytes = await readBoundedBody(response, REGISTRY_LIMITS.maxBytes, body);
    if (!bytes)
      return {
        ok: false,
        error: new MarketplaceError(
          'registry_too_large',
          `${source}: registry is larger than ${REGISTRY_LIMITS.maxBytes} bytes (${url})`,
          { source },
        ),
      };
    if (this.keyed) return this.judgeSigned(bytes, response, source, url, signal, now);
    const text = new TextDecoder().decode(bytes);
    const opened = await this.open(text, now);
    if (!opened.ok) return { ok: false, error: opened.error };
    return { ok: true, value: this.accept(opened.value, response, source, url, now, text, undefined) };
  }

  /**
   * An app with keys: the bytes as served, the answering source's signature for them, then the
   * whole pipeline (`openSignedRegistry`). Any refusal fails this answer like an invalid body, so
   * the next source is tried.
   */
  private async judgeSigned(
    bytes: Uint8Array<ArrayBuffer>,
    response: Response,
    source: SourceKind,
    url: string,
    signal: AbortSignal | undefined,
    now: number,
  ): Promise<AttemptVerdict<GoodRegistry>> {
    const signature = await this.signatures.fetchFor(
      bytes,
      source,
      url,
      signal ?? new AbortController().signal,
    );
    if (!signature.ok) return signature;
    const opened = await openSignedRegistry(
      bytes,
      signature.text,
      this.checks(this.ctx.platform.clock.now()),
    );
    if (!opened.ok) {
      const { code, message } = opened.error;
      const refused =
        code === 'registry_signature_invalid'
          ? new MarketplaceError(code, `${source}: ${message} (${signature.url})`, {
              source,
              cause: opened.error,
            })
          : opened.error;
      return { ok: false, error: refused };
    }
    this.signatures.accepted(signature.digest, signature.text as string);
    const text = new TextDecoder().decode(bytes);
    return { ok: true, value: this.accept(opened.value, response, source, url, now, text, signature.text) };
  }

  /** Holds a registry that passed: its ETag for the next conditional request, and the copy persisted. */
  private accept(
    opened: OpenedRegistry,
    response: Response,
    source: SourceKind,
    url: string,
    now: number,
    text: string,
    signature: string | undefined,
  ): GoodRegistry {
    const etag = entityTagOf(response);
    if (etag) this.etags.set(url, { etag, version: opened.registry.version });
    const good: GoodRegistry = {
      registry: opened.registry,
      signedBy: opened.signedBy,
      source,
      url,
      fetchedAt: now,
    };
    this.remember(good, text, signature);
    return good;
  }

  async read(
    config: MarketplaceSourceConfig,
    configVersion: number | undefined,
    signal?: AbortSignal,
  ): Promise<RegistryResult> {
    await this.loadPersisted();
    const { platform, stats } = this.ctx;
    const started = platform.clock.now();
    const outcome = await runAttempts<GoodRegistry>(
      this.ctx,
      config,
      REGISTRY_ROUTE,
      'api/plugins',
      signal ? { signal } : undefined,
      this.handler,
    );
    const now = platform.clock.now();
    if (outcome.ok) {
      const good = outcome.value;
      this.lastGood = good;
      stats.recordRequest({ ms: now - started, fallback: outcome.fallback, failed: false });
      return {
        ok: true,
        registry: good.registry,
        source: good.source,
        url: good.url,
        stale: false,
        fetchedAt: good.fetchedAt,
        ageMs: 0,
        fallback: outcome.fallback,
        configVersion,
        ...(good.signedBy === undefined ? {} : { signedBy: good.signedBy }),
      };
    }
    const last = this.lastGood;
    const usable = last && withinExpiry(last.registry.expires, now);
    stats.recordRequest({ ms: now - started, fallback: false, failed: !usable, stale: Boolean(usable) });
    if (last && usable) {
      this.ctx.usage?.staleServe(now);
      this.ctx.emit({
        type: 'stale',
        path: 'api/plugins',
        ageMs: now - last.fetchedAt,
        error: outcome.error,
      });
      return {
        ok: true,
        registry: last.registry,
        source: last.source,
        url: last.url,
        stale: true,
        fetchedAt: last.fetchedAt,
        ageMs: now - last.fetchedAt,
        fallback: false,
        configVersion,
        error: outcome.error,
        ...(last.signedBy === undefined ? {} : { signedBy: last.signedBy }),
      };
    }
    return { ok: false, error: outcome.error, configVersion };
  }

  /**
   * Judges a source's 2xx or 304 registry answer exactly as `getRegistry()` does — for active
   * checks and probes, so a source whose body `getRegistry()` refuses fails them too.
   */
  readonly judgeBody = async (
    response: Response,
    source: SourceKind,
    url: string,
    signal?: AbortSignal,
    body?: BodyProgress,
  ): Promise<{ readonly ok: true } | { readonly ok: false; readonly error: MarketplaceError }> => {
    const verdict = await this.judge(response, source, url, signal, body);
    if (!verdict.ok) return verdict;
    this.lastGood = verdict.value;
    return { ok: true };
  };

  /** ETag of the held copy as `url` served it, for a conditional request. */
  etagFor(url: string): string | undefined {
    const known = this.etags.get(url);
    return known && known.version === this.lastGood?.registry.version ? known.etag : undefined;
  }

  /** What every answer is checked against: URL policy, expiry, and — with keys — the rollback floor. */
  private checks(now: number) {
    return {
      now,
      urlPolicy: this.options.urlPolicy,
      trustedKeys: this.options.trustedKeys,
      // Rollback protection applies when the app ships keys (SPEC 4.7).
      ...(this.keyed && this.highestVersion !== undefined ? { minVersion: this.highestVersion } : {}),
    };
  }

  private open(text: string, now: number) {
    return openRegistry(text, this.checks(now));
  }

  private remember(good: GoodRegistry, text: string, signature: string | undefined): void {
    const previous = this.lastGood;
    this.lastGood = good;
    const { platform } = this.ctx;
    if (this.highestVersion === undefined || good.registry.version > this.highestVersion) {
      this.highestVersion = good.registry.version;
      void persistHighestVersion(platform, good.registry.version);
    }
    if (previous?.registry.version !== good.registry.version || previous?.source !== good.source) {
      const { source, url, fetchedAt } = good;
      const version = good.registry.version;
      void persistRegistry(platform, text, { version, source, url, fetchedAt }, signature).then((failure) => {
        if (!failure) return;
        this.ctx.stats.recordNotSaved();
        this.ctx.emit({ type: 'registry-not-saved', version, ...failure });
      });
    }
  }

  /** Restores the last good registry and the highest version seen, after a restart. */
  private async loadPersisted(): Promise<void> {
    if (this.loadedPersisted) return;
    this.loadedPersisted = true;
    const { platform } = this.ctx;
    const highest = await restoreHighestVersion(platform);
    if (highest !== undefined) this.highestVersion = highest;
    if (this.lastGood) return;
    const now = platform.clock.now();
    const { urlPolicy, trustedKeys } = this.options;
    let open: (text: string) => Promise<Result<OpenedRegistry, MarketplaceError>> = (text) =>
      openRegistry(text, { now, urlPolicy, trustedKeys });
    if (this.keyed) {
      // The persisted copy is checked as a source's answer is: storage is not trusted more.
      const signature = await restoreRegistrySignature(platform);
      open = (text) =>
        openSignedRegistry(new TextEncoder().encode(text), signature, { now, urlPolicy, trustedKeys });
    }
    const restored = await restoreRegistry(platform, open);
    if (restored && !this.lastGood) this.lastGood = restored;
  }
}
