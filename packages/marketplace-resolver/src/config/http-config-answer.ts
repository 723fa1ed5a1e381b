import { MarketplaceError, parseControlPlaneSnapshot } from '@cartae/marketplace-core';
import { entityTagOf } from '../request/entity-tags.ts';
import type { ConfigLoadOutcome } from './config-provider.ts';

/**
 * The Worker's `x-config-stale: 1`: Supabase failed and this is the last good copy the Worker
 * kept (on a 200 or a 304). The only reader of that header.
 */
function isStaleCopy(headers: Headers): boolean {
  const value = headers.get('x-config-stale');
  return value !== null && value.trim() !== '0';
}

/** A config request that got no answer at all. */
export function unreachable(target: string, cause: unknown): ConfigLoadOutcome {
  return {
    kind: 'failed',
    error: new MarketplaceError('source_network_error', `config endpoint ${target} is unreachable`, {
      cause,
    }),
  };
}

/**
 * What a config endpoint's answer comes to, whichever method asked (a GET poll, or a POST poll
 * carrying a usage report: the Worker answers both alike): a 304 confirms the copy held, a 2xx
 * must be a control-plane snapshot, anything else fails; `x-config-stale` marks a stale copy.
 */
export async function readConfigAnswer(response: Response, target: string): Promise<ConfigLoadOutcome> {
  const stale = isStaleCopy(response.headers) ? { stale: true } : {};
  if (response.status === 304) return { kind: 'not-modified', ...stale };
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return {
      kind: 'failed',
      error: new MarketplaceError(
        'source_http_error',
        `config endpoint ${target} answered ${response.status}`,
        {
          status: response.status,
        },
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
  const etag = entityTagOf(response);
  return { kind: 'loaded', snapshot: snapshot.value, ...(etag ? { etag } : {}), ...stale };
}
