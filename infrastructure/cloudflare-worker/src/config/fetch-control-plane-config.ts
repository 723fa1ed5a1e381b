import { checkUrl, parseControlPlaneSnapshot, readMarketplaceConfig } from '@cartae/marketplace-core';
import { strongEntityTag } from '../http/entity-tag.ts';
import type { WorkerPlatform } from '../worker-platform.ts';
import type { WorkerSettings } from '../worker-settings.ts';
import type { ConfigAnswer } from './config-answer.ts';

/**
 * How long the Worker waits for Supabase. Well under the resolver's 4 s config timeout
 * (`configTimeoutMs` in packages/marketplace-resolver/src/resolver-options.ts): when Supabase hangs,
 * the Worker must still answer with its stale copy from KV before the app stops waiting for it,
 * with time left for the network between the app and the Worker and for the KV read.
 */
export const CONTROL_PLANE_TIMEOUT_MS = 2_500;
/** A config document is at most 16 KiB; the RPC answer adds a little around it. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface ControlPlaneAccess {
  readonly supabaseUrl: string | undefined;
  readonly anonKey: string | undefined;
  readonly settings: WorkerSettings;
  readonly platform: WorkerPlatform;
}

export type ControlPlaneFetch =
  | { readonly ok: true; readonly answer: ConfigAnswer }
  | { readonly ok: false; readonly reason: string };

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.length > MAX_ANSWER_BYTES) throw new Error(`answer is larger than ${MAX_ANSWER_BYTES} bytes`);
  return JSON.parse(text);
}

/**
 * Asks Supabase for the marketplace config (`POST /rest/v1/rpc/get_marketplace_config` with the
 * anon key) and checks it with the same forward-compatible reader every resolver uses. Only a
 * document a resolver can use becomes an answer; the document itself is passed through untouched,
 * so fields newer than this Worker still reach newer apps. Never throws.
 *
 * @example
 * const r = await fetchControlPlaneConfig({ supabaseUrl, anonKey, settings, platform });
 * if (r.ok) r.answer.body; // '{"config":{…},"version":3,"updatedAt":"…"}'
 */
export async function fetchControlPlaneConfig(access: ControlPlaneAccess): Promise<ControlPlaneFetch> {
  const { settings, platform } = access;
  if (!access.supabaseUrl || !access.anonKey) {
    return { ok: false, reason: 'SUPABASE_URL or SUPABASE_ANON_KEY is not set' };
  }
  const base = checkUrl(access.supabaseUrl, settings.urlPolicy);
  if (!base.ok) return { ok: false, reason: `SUPABASE_URL ${base.error}` };
  let json: unknown;
  try {
    const response = await platform.fetch(
      `${base.value.replace(/\/+$/, '')}/rest/v1/rpc/get_marketplace_config`,
      {
        method: 'POST',
        headers: {
          apikey: access.anonKey,
          authorization: `Bearer ${access.anonKey}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: '{}',
        signal: AbortSignal.timeout(CONTROL_PLANE_TIMEOUT_MS),
      },
    );
    if (!response.ok) {
      await response.body?.cancel();
      return { ok: false, reason: `control plane answered HTTP ${response.status}` };
    }
    json = await readJson(response);
  } catch (cause) {
    return { ok: false, reason: `control plane unreachable or unreadable: ${(cause as Error).message}` };
  }
  const snapshot = parseControlPlaneSnapshot(json);
  if (!snapshot.ok) return { ok: false, reason: snapshot.error.message };
  const read = readMarketplaceConfig(snapshot.value.document, settings.urlPolicy);
  if (!read.ok) return { ok: false, reason: read.error.message };
  const { document, version, updatedAt } = snapshot.value;
  const body = JSON.stringify({
    config: document,
    ...(version === undefined ? {} : { version }),
    ...(updatedAt === undefined ? {} : { updatedAt }),
  });
  const etag = await strongEntityTag(
    new TextEncoder().encode(body),
    version === undefined ? 'c-' : `c${version}-`,
  );
  return {
    ok: true,
    answer: { body, etag, fetchedAt: platform.now(), ...(version === undefined ? {} : { version }) },
  };
}
