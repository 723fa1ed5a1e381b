import type {
  MarketplaceError,
  OpenedRegistry,
  RegistryDocument,
  Result,
  SourceKind,
} from '@cartae/marketplace-core';
import type { Platform } from '../platform/platform.ts';
import { STORAGE_KEYS, type StorageWriteFailure } from '../storage/key-value-storage.ts';

/**
 * Where and when the persisted registry was fetched, kept under its own key next to the
 * registry's exact bytes (`STORAGE_KEYS.registry`). `version` ties the two: a copy whose bytes
 * hold another version (a write cut short) is not used.
 */
export interface PersistedRegistry {
  readonly version: number;
  readonly source: SourceKind;
  readonly url: string;
  readonly fetchedAt: number;
}

/** How earlier releases kept it: the bytes escaped inside one JSON value, a second, larger copy. */
interface LegacyPersistedRegistry {
  readonly text: string;
  readonly source: SourceKind;
  readonly url: string;
  readonly fetchedAt: number;
}

/** A last good registry read back from storage, as the reader holds it. */
export interface RestoredRegistry {
  readonly registry: RegistryDocument;
  readonly signedBy: string | undefined;
  readonly source: SourceKind;
  readonly url: string;
  readonly fetchedAt: number;
}

/** Checks persisted bytes as the reader checks a source's (signature, schema, expiry). */
export type OpenPersisted = (text: string) => Promise<Result<OpenedRegistry, MarketplaceError>>;

type PersistencePlatform = Pick<Platform, 'storage' | 'logger'>;

/**
 * Persists a good registry: its bytes as served under one key, then, once they are stored, its
 * provenance under another. Never throws. When they cannot be stored (a full localStorage), the
 * registry stays in use, a warning names its size and says it will not survive a reload, and
 * the failure is returned (the reader emits it as `registry-not-saved`).
 */
export async function persistRegistry(
  platform: PersistencePlatform,
  text: string,
  provenance: PersistedRegistry,
  signature?: string,
): Promise<(StorageWriteFailure & { readonly bytes: number }) | undefined> {
  const failure = await write(platform.storage, text, provenance, signature);
  if (!failure) return undefined;
  const bytes = utf8Length(text);
  platform.logger(
    'warn',
    `could not save registry version ${provenance.version} (${(bytes / 1_000_000).toFixed(1)} MB): ` +
      `${failure.message}. It is in use now but will not survive a reload or restart; ` +
      'free some storage, or pass a storage that can hold it (platform.storage).',
    { version: provenance.version, bytes, code: failure.code },
  );
  return { ...failure, bytes };
}

async function write(
  storage: Platform['storage'],
  text: string,
  provenance: PersistedRegistry,
  signature: string | undefined,
): Promise<StorageWriteFailure | undefined> {
  try {
    // The signature first: a write cut short leaves bytes and a signature that do not match,
    // which the next start refuses, never a registry taken as signed when it was not.
    if (signature !== undefined) {
      const failed = await storage.set(STORAGE_KEYS.registrySignature, signature);
      if (failed) return failed;
    }
    const failure = await storage.set(STORAGE_KEYS.registry, text);
    if (failure) return failure;
    return (await storage.set(STORAGE_KEYS.registryMeta, JSON.stringify(provenance))) ?? undefined;
  } catch (error) {
    // A storage that breaks its contract and throws: the same outcome, said the same way.
    return { code: 'storage_unavailable', message: String(error) };
  }
}

/** Persists the highest registry version seen (rollback protection across restarts). Never throws. */
export async function persistHighestVersion(platform: PersistencePlatform, version: number): Promise<void> {
  try {
    await platform.storage.set(STORAGE_KEYS.highestRegistryVersion, String(version));
  } catch {
    // Best effort, like every write: the next good registry writes it again.
  }
}

/** The highest registry version persisted, if any. Never throws. */
export async function restoreHighestVersion(platform: PersistencePlatform): Promise<number | undefined> {
  try {
    const highest = Number(await platform.storage.get(STORAGE_KEYS.highestRegistryVersion));
    return Number.isSafeInteger(highest) && highest > 0 ? highest : undefined;
  } catch {
    return undefined;
  }
}

/** The persisted registry's detached signature (apps with keys), if any. Never throws. */
export async function restoreRegistrySignature(platform: PersistencePlatform): Promise<string | undefined> {
  try {
    return await platform.storage.get(STORAGE_KEYS.registrySignature);
  } catch {
    return undefined;
  }
}

/**
 * Reads the persisted registry back, checked by `open`. Reads the format of earlier releases
 * once and rewrites it in the current one. A missing, corrupt or mismatched copy gives
 * `undefined`. Never throws.
 */
export async function restoreRegistry(
  platform: PersistencePlatform,
  open: OpenPersisted,
): Promise<RestoredRegistry | undefined> {
  try {
    const { storage } = platform;
    const text = await storage.get(STORAGE_KEYS.registry);
    if (text === undefined) return undefined;
    const provenance = readProvenance(await storage.get(STORAGE_KEYS.registryMeta));
    if (provenance) {
      const opened = await open(text);
      if (opened.ok)
        return opened.value.registry.version === provenance.version
          ? toGood(opened.value, provenance)
          : undefined;
    }
    return await migrate(platform, text, open);
  } catch {
    // A corrupt persisted copy is simply not used.
    return undefined;
  }
}

/** The earlier format: parsed once, used, and rewritten as bytes plus provenance. */
async function migrate(
  platform: PersistencePlatform,
  saved: string,
  open: OpenPersisted,
): Promise<RestoredRegistry | undefined> {
  // Earlier releases wrote `JSON.stringify({ text, … })`: anything else is not theirs.
  if (!saved.startsWith('{"text":')) return undefined;
  const legacy = JSON.parse(saved) as Partial<LegacyPersistedRegistry>;
  if (typeof legacy.text !== 'string' || typeof legacy.fetchedAt !== 'number') return undefined;
  const opened = await open(legacy.text);
  if (!opened.ok) return undefined;
  const provenance: PersistedRegistry = {
    version: opened.value.registry.version,
    source: legacy.source as SourceKind,
    url: String(legacy.url),
    fetchedAt: legacy.fetchedAt,
  };
  await persistRegistry(platform, legacy.text, provenance);
  return toGood(opened.value, provenance);
}

function readProvenance(text: string | undefined): PersistedRegistry | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<PersistedRegistry>;
    return typeof value.version === 'number' && typeof value.fetchedAt === 'number'
      ? (value as PersistedRegistry)
      : undefined;
  } catch {
    return undefined;
  }
}

function toGood(opened: OpenedRegistry, persisted: PersistedRegistry): RestoredRegistry {
  return {
    registry: opened.registry,
    signedBy: opened.signedBy,
    source: persisted.source,
    url: persisted.url,
    fetchedAt: persisted.fetchedAt,
  };
}

/** Bytes `text` takes as UTF-8, without encoding a copy of it. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair: one code point
      i++;
    } else bytes += 3;
  }
  return bytes;
}
