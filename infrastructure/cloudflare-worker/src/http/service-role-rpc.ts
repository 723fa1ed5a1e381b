import type { WorkerPlatform } from '../worker-platform.ts';

/** Where a service-role call goes: the function's `/rest/v1/rpc/…` URL and the key it needs. */
export interface ServiceRoleRpcTarget {
  readonly url: string;
  readonly serviceRoleKey: string;
}

export type ServiceRoleRpcResult =
  | { readonly ok: true; readonly status: number; readonly text: string }
  | { readonly ok: false; readonly status: number | undefined; readonly error: string };

/**
 * Calls a control-plane function that only the service role may call (usage ingest, fleet
 * automation): `POST` with the key as `apikey` and bearer, a JSON body, and a timeout. The timer
 * is cleared on completion rather than `AbortSignal.timeout`, which stays armed for the whole
 * timeout after a quick answer (and a Durable Object with a timer pending is not idle). Never
 * throws: a failure is a result whose `error` says what happened, in the words the logs use.
 *
 * @example
 * const r = await callServiceRoleRpc(target, '{}', platform, { timeoutMs: 10_000 });
 * if (r.ok) JSON.parse(r.text);
 */
export async function callServiceRoleRpc(
  target: ServiceRoleRpcTarget,
  body: string,
  platform: WorkerPlatform,
  options: { readonly timeoutMs: number; readonly headers?: Record<string, string> },
): Promise<ServiceRoleRpcResult> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`no answer within ${options.timeoutMs} ms`)),
    options.timeoutMs,
  );
  try {
    const response = await platform.fetch(target.url, {
      method: 'POST',
      headers: {
        apikey: target.serviceRoleKey,
        authorization: `Bearer ${target.serviceRoleKey}`,
        'content-type': 'application/json',
        ...options.headers,
      },
      body,
      signal: controller.signal,
    });
    const text = await response.text().catch(() => '');
    if (response.ok) return { ok: true, status: response.status, text };
    const detail = text.slice(0, 300);
    return {
      ok: false,
      status: response.status,
      error: `control plane answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`,
    };
  } catch (cause) {
    return { ok: false, status: undefined, error: `control plane unreachable: ${(cause as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}
