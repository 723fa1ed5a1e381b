import {
  type ConfigSnapshot,
  type MarketplaceSourceConfig,
  readMarketplaceConfig,
  type UrlPolicy,
} from '@cartae/marketplace-core';

/** What the store persists as last-known-good. The raw document is kept and re-read on load. */
interface PersistedConfig {
  readonly document: unknown;
  /**
   * Also the highest version this install has adopted, since it never adopts a lower one: after a
   * restart it is the floor below which answers are refused.
   */
  readonly version?: number;
  readonly updatedAt?: string;
  readonly fetchedAt: number;
  readonly provider: string;
}

/** A persisted config as read back after a restart. */
export interface RestoredConfig {
  /** The highest version adopted before the restart, known even when the document is unusable. */
  readonly highestVersion: number | undefined;
  /** The config to start with, when this app can still use the document. */
  readonly usable?: {
    readonly config: MarketplaceSourceConfig;
    readonly warnings: readonly string[];
    readonly version: number | undefined;
    readonly updatedAt: string | undefined;
    readonly fetchedAt: number;
  };
}

/** The stored text for an adopted config. */
export function persistedConfigText(snapshot: ConfigSnapshot, provider: string, fetchedAt: number): string {
  const persisted: PersistedConfig = {
    document: snapshot.document,
    fetchedAt,
    provider,
    ...(snapshot.version === undefined ? {} : { version: snapshot.version }),
    ...(snapshot.updatedAt === undefined ? {} : { updatedAt: snapshot.updatedAt }),
  };
  return JSON.stringify(persisted);
}

/**
 * Reads what `persistedConfigText` wrote (or nothing, or garbage: never throws). The document is
 * read again with this app's URL policy, which an app update may have narrowed.
 */
export function readPersistedConfig(text: string | undefined, urlPolicy: UrlPolicy): RestoredConfig {
  if (text === undefined) return { highestVersion: undefined };
  let saved: Partial<PersistedConfig>;
  try {
    saved = JSON.parse(text) as Partial<PersistedConfig>;
    if (typeof saved !== 'object' || saved === null) return { highestVersion: undefined };
  } catch {
    return { highestVersion: undefined };
  }
  const version = Number.isSafeInteger(saved.version) ? saved.version : undefined;
  const read = readMarketplaceConfig(saved.document, urlPolicy);
  if (!read.ok || typeof saved.fetchedAt !== 'number') return { highestVersion: version };
  return {
    highestVersion: version,
    usable: {
      config: read.value.config,
      warnings: read.value.warnings,
      version,
      updatedAt: typeof saved.updatedAt === 'string' ? saved.updatedAt : undefined,
      fetchedAt: saved.fetchedAt,
    },
  };
}
