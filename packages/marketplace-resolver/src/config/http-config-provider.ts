import {
  checkUrl,
  MarketplaceError,
  parseControlPlaneSnapshot,
  type UrlPolicy,
} from '@cartae/marketplace-core';
import { entityTagOf, ifNoneMatch } from '../request/entity-tags.ts';
import type { ConfigProvider } from './config-provider.ts';

/**
 * The Worker's `x-config-stale: 1`: Supabase failed and this is the last good copy the Worker
 * kept (on a 200 or a 304). The only reader of that header.
 */
function isStaleCopy(headers: Headers): boolean {
  const value = headers.get('x-config-stale');
  return value !== null && value.trim() !== '0';
}

/**
 * Reads the config from an HTTP JSON endpoint — the Worker's edge-cached `GET /api/config` —
 * with `If-None-Match`, so an unchanged config costs a 304. An answer marked `x-config-stale`
 * comes back with `stale: true`: the store adopts it only when not older than the config held,
 * and it never renews the config's TTL.
 *
 * @example
 * createHttpConfigProvider('https://marketplace.cartae.com/api/config');
 */
export function createHttpConfigProvider(
  url: string,
  options: { urlPolicy?: UrlPolicy; name?: string } = {},
): ConfigProvider {
  const checked = checkUrl(url, options.urlPolicy);
  if (!checked.ok) throw new Error(`createHttpConfigProvider: the config URL ${checked.error}`);
  const target = checked.value;
  return {
    name: options.name ?? `http:${new URL(target).host}`,
    async load({ signal, etag, fetch }) {
      let response: Response;
      try {
        response = await fetch(target, {
          signal,
          headers: { accept: 'application/json', ...ifNoneMatch(etag) },
        });
      } catch (cause) {
        return {
          kind: 'failed',
          error: new MarketplaceError('source_network_error', `config endpoint ${target} is unreachable`, {
            cause,
          }),
        };
      }
      const stale = isStaleCopy(response.headers) ? { stale: true } : {};
      if (response.status === 304) return { kind: 'not-modified', ...stale };
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        return {
          kind: 'failed',
          error: new MarketplaceError(
            'source_http_error',
            `config endpoint ${target} answered ${response.status}`,
            { status: response.status },
          ),
        };
      }
      let json: unknown;
      try {
        json = await response.json();
      } catch (cause) {
        return {
          kind: 'failed',
          error: new MarketplaceError('config_invalid', `config endpoint ${target} did not answer JSON`, {
            cause,
          }),
        };
      }
      const snapshot = parseControlPlaneSnapshot(json);
      if (!snapshot.ok) return { kind: 'failed', error: snapshot.error };
      const newEtag = entityTagOf(response);
      return { kind: 'loaded', snapshot: snapshot.value, ...(newEtag ? { etag: newEtag } : {}), ...stale };
    },
  };
}
