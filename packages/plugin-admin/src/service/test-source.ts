import {
  checkUrl,
  DEFAULT_MARKETPLACE_CONFIG,
  openRegistry,
  parseRateLimit,
  routeUrl,
  SOURCE_KIND_TABLE,
  type SourceKind,
  type TrustedRegistryKey,
  type UrlPolicy,
} from '@cartae/marketplace-core';
import { judgeAnswer } from '@cartae/marketplace-resolver/decisions';

/** What "Test" shows for one source URL. */
export interface SourceTestResult {
  readonly ok: boolean;
  /** The URL actually fetched (the registry route of that source). */
  readonly url: string;
  readonly status?: number;
  readonly responseTimeMs?: number;
  readonly registryVersion?: number;
  readonly pluginCount?: number;
  readonly rateLimitRemaining?: number;
  readonly error?: string;
}

export const SOURCE_TEST_TIMEOUT_MS = 8000;

/**
 * Fetches a source's registry from this browser, exactly as an installed app would, and judges the
 * answer with the resolver's own judgement (`judgeAnswer`) and registry checks. Never throws.
 */
export async function testSource(
  kind: SourceKind,
  baseUrl: string,
  options: {
    fetch?: typeof fetch;
    policy?: UrlPolicy;
    trustedKeys?: readonly TrustedRegistryKey[];
    now?: () => number;
  } = {},
): Promise<SourceTestResult> {
  const now = options.now ?? (() => performance.now());
  const urlCheck = checkUrl(baseUrl, options.policy ?? {});
  if (!urlCheck.ok) return { ok: false, url: baseUrl, error: `the URL ${urlCheck.error}` };
  const routed = routeUrl({ name: 'registry' }, kind, {
    ...DEFAULT_MARKETPLACE_CONFIG,
    [SOURCE_KIND_TABLE[kind].urlField]: urlCheck.value,
  });
  if (!routed.ok) return { ok: false, url: baseUrl, error: routed.error.message };
  const url = routed.value;
  const started = now();
  try {
    const response = await (options.fetch ?? fetch)(url, {
      signal: AbortSignal.timeout(SOURCE_TEST_TIMEOUT_MS),
      cache: 'no-store',
      headers: { accept: 'application/json' },
    });
    const rate = parseRateLimit(response.status, response.headers, Date.now());
    const headers = judgeAnswer({
      source: kind,
      url,
      notFound: 'fault',
      outcome: { stage: 'headers', status: response.status, rateLimit: rate },
    });
    const text = headers.verdict === 'read-body' ? await response.text() : '';
    if (headers.verdict !== 'read-body') await response.body?.cancel().catch(() => undefined);
    const responseTimeMs = Math.round(now() - started);
    const base = {
      url,
      status: response.status,
      responseTimeMs,
      ...(rate.remaining === undefined ? {} : { rateLimitRemaining: rate.remaining }),
    };
    if (headers.verdict !== 'read-body') {
      return { ok: false, ...base, error: headers.error?.message ?? `HTTP ${response.status}` };
    }
    const opened = await openRegistry(text, {
      now: Date.now(),
      ...(options.policy ? { urlPolicy: options.policy } : {}),
      ...(options.trustedKeys ? { trustedKeys: options.trustedKeys } : {}),
    });
    const judged = judgeAnswer({
      source: kind,
      url,
      notFound: 'fault',
      outcome: { stage: 'body', status: response.status, refusal: opened.ok ? undefined : opened.error },
    });
    if (!opened.ok) return { ok: false, ...base, error: judged.error?.message ?? opened.error.message };
    return {
      ok: true,
      ...base,
      registryVersion: opened.value.registry.version,
      pluginCount: opened.value.registry.plugins.length,
    };
  } catch (error) {
    const e = error as Error;
    const message =
      e.name === 'TimeoutError'
        ? `no answer within ${SOURCE_TEST_TIMEOUT_MS / 1000} s`
        : `unreachable from this browser (${e.message}); CORS or the network may block it`;
    return { ok: false, url, responseTimeMs: Math.round(now() - started), error: message };
  }
}
