import {
  MarketplaceError,
  type MarketplaceSourceConfig,
  openRegistry,
  type RegistryDocument,
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
import { entityTagOf, ifNoneMatch } from '../request/entity-tags.ts';
import {
  persistHighestVersion,
  persistRegistry,
  restoreHighestVersion,
  restoreRegistry,
} from './registry-persistence.ts';
import type { RegistryResult } from './registry-result.ts';

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
 */
export class RegistryReader {
  private lastGood: GoodRegistry | undefined;
  private readonly etags = new Map<string, { etag: string; version: number }>();
  private highestVersion: number | undefined;
  private loadedPersisted = false;

  private readonly handler: AttemptHandler<GoodRegistry> = {
    headersFor: (url) => {
      return ifNoneMatch(this.etagFor(url));
    },
    handle: (response, source, url) => this.judge(response, source, url),
  };

  constructor(
    private readonly ctx: AttemptContext,
    private readonly options: RegistryReaderOptions,
  ) {}

  /** Judges one source's answer: a 304 confirms the copy held, a 2xx must open as a valid registry. */
  private async judge(
    response: Response,
    source: SourceKind,
    url: string,
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
    const text = await response.text();
    const opened = await this.open(text, now);
    if (!opened.ok) return { ok: false, error: opened.error };
    const etag = entityTagOf(response);
    if (etag) this.etags.set(url, { etag, version: opened.value.registry.version });
    const good: GoodRegistry = {
      registry: opened.value.registry,
      signedBy: opened.value.signedBy,
      source,
      url,
      fetchedAt: now,
    };
    this.remember(good, text);
    return { ok: true, value: good };
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
  ): Promise<{ readonly ok: true } | { readonly ok: false; readonly error: MarketplaceError }> => {
    const verdict = await this.judge(response, source, url);
    if (!verdict.ok) return verdict;
    this.lastGood = verdict.value;
    return { ok: true };
  };

  /** ETag of the held copy as `url` served it, for a conditional request. */
  etagFor(url: string): string | undefined {
    const known = this.etags.get(url);
    return known && known.version === this.lastGood?.registry.version ? known.etag : undefined;
  }

  private open(text: string, now: number) {
    const keys = this.options.trustedKeys;
    return openRegistry(text, {
      now,
      urlPolicy: this.options.urlPolicy,
      trustedKeys: keys,
      // Rollback protection applies when the app ships keys (SPEC 4.7).
      ...(keys.length > 0 && this.highestVersion !== undefined ? { minVersion: this.highestVersion } : {}),
    });
  }

  private remember(good: GoodRegistry, text: string): void {
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
      void persistRegistry(platform, text, { version, source, url, fetchedAt }).then((failure) => {
        if (failure) this.ctx.emit({ type: 'registry-not-saved', version, ...failure });
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
    const restored = await restoreRegistry(platform, (text) =>
      openRegistry(text, {
        now: platform.clock.now(),
        urlPolicy: this.options.urlPolicy,
        trustedKeys: this.options.trustedKeys,
      }),
    );
    if (restored && !this.lastGood) this.lastGood = restored;
  }
}
