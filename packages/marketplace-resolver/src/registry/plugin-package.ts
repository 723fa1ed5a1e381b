import { checkUrl, MarketplaceError, type PluginEntry, type UrlPolicy } from '@cartae/marketplace-core';
import type { Platform } from '../platform/platform.ts';
import { readBoundedBody } from '../request/bounded-body.ts';
import type { RegistryResult } from './registry-result.ts';
import { sha256Hex } from './sha256-hex.ts';

/** Largest plugin package `downloadPluginPackage` reads by default, bytes. */
export const DEFAULT_MAX_PACKAGE_BYTES = 64 * 1024 * 1024;

/** How long a package download may take by default, ms. */
export const DEFAULT_PACKAGE_TIMEOUT_MS = 60_000;

export interface PluginPackageOptions {
  readonly signal?: AbortSignal;
  /** Refuse packages larger than this, bytes. Default 64 MiB. */
  readonly maxBytes?: number;
  /** Give up after this long, ms. Default 60 s. */
  readonly timeoutMs?: number;
}

/**
 * Why a package was not handed over: `registry_unavailable` (no registry could be read),
 * `not_in_registry`, `url_rejected` (the app's URL policy, also after redirects),
 * `download_failed` (network, timeout, HTTP status), `too_large`, `sha256_mismatch` (the bytes
 * are not the ones the registry vouches for).
 */
export type PluginPackageFailure =
  | 'registry_unavailable'
  | 'not_in_registry'
  | 'url_rejected'
  | 'download_failed'
  | 'too_large'
  | 'sha256_mismatch';

export type PluginPackageResult =
  | {
      readonly ok: true;
      /** The package's bytes, whose SHA-256 is the registry entry's `sha256`. */
      readonly bytes: Uint8Array<ArrayBuffer>;
      readonly plugin: PluginEntry;
      /** The registry the entry came from: its version, and the key that signed it (apps with keys). */
      readonly registryVersion: number;
      readonly signedBy: string | undefined;
    }
  | { readonly ok: false; readonly reason: PluginPackageFailure; readonly error: MarketplaceError };

function failure(
  reason: PluginPackageFailure,
  code: MarketplaceError['code'],
  message: string,
  details: { cause?: unknown; status?: number } = {},
): PluginPackageResult {
  return { ok: false, reason, error: new MarketplaceError(code, message, details) };
}

/**
 * Downloads a plugin's package from its registry entry's `downloadUrl` and checks it against the
 * entry's `sha256` — the entry of the registry `getRegistry()` gave, so, in an app that ships
 * keys, of a registry a trusted key signed: the package is exactly the one the publisher signed
 * for. Never throws.
 */
export async function downloadPluginPackage(
  deps: { readonly platform: Platform; readonly urlPolicy: UrlPolicy },
  registry: RegistryResult,
  id: string,
  options: PluginPackageOptions = {},
): Promise<PluginPackageResult> {
  if (!registry.ok)
    return failure(
      'registry_unavailable',
      registry.error.code,
      `no registry to check ${id} against: ${registry.error.message}`,
      {
        cause: registry.error,
      },
    );
  const plugin = registry.registry.plugins.find((p) => p.id === id);
  const version = registry.registry.version;
  if (!plugin)
    return failure(
      'not_in_registry',
      'source_not_found',
      `plugin "${id}" is not in registry version ${version}`,
    );
  const allowed = checkUrl(plugin.downloadUrl, deps.urlPolicy);
  if (!allowed.ok) return failure('url_rejected', 'url_rejected', `${id}: downloadUrl ${allowed.error}`);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_PACKAGE_BYTES;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_PACKAGE_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  try {
    const response = await deps.platform.fetch(plugin.downloadUrl, { signal });
    // Redirects are followed by fetch; where they ended must pass the policy too.
    const landed = response.url ? checkUrl(response.url, deps.urlPolicy) : allowed;
    if (!landed.ok) {
      await response.body?.cancel().catch(() => undefined);
      return failure(
        'url_rejected',
        'url_rejected',
        `${id}: the download was redirected to a URL that ${landed.error}`,
      );
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      return failure(
        'download_failed',
        'source_http_error',
        `${id}: ${plugin.downloadUrl} answered HTTP ${response.status}`,
        {
          status: response.status,
        },
      );
    }
    bytes = await readBoundedBody(response, maxBytes);
  } catch (cause) {
    const timedOut = timeout.aborted && !options.signal?.aborted;
    const code = options.signal?.aborted ? 'aborted' : timedOut ? 'source_timeout' : 'source_network_error';
    return failure('download_failed', code, `${id}: could not download ${plugin.downloadUrl}`, { cause });
  }
  if (!bytes)
    return failure('too_large', 'source_http_error', `${id}: package is larger than ${maxBytes} bytes`);
  const digest = await sha256Hex(bytes);
  if (digest !== plugin.sha256)
    return failure(
      'sha256_mismatch',
      'source_http_error',
      `${id}: the downloaded package's SHA-256 is ${digest}, not ${plugin.sha256} as registry version ${version} says; refusing it`,
    );
  return { ok: true, bytes, plugin, registryVersion: version, signedBy: registry.signedBy };
}
