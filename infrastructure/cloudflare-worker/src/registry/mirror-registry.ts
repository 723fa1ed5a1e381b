import { openRegistry, parseRateLimit, REGISTRY_LIMITS } from '@cartae/marketplace-core';
import { strongEntityTag } from '../http/entity-tag.ts';
import type { WorkerPlatform } from '../worker-platform.ts';
import type { WorkerSettings } from '../worker-settings.ts';
import {
  HEALTHY_MIRROR_RESULTS,
  type MirrorResult,
  nextMirrorStatus,
  readMirrorStatus,
  writeMirrorStatus,
} from './mirror-status.ts';
import type { RegistrySnapshot } from './registry-snapshot.ts';
import { rememberSnapshot } from './snapshot-memory.ts';
import { readCurrentSnapshot, writeSnapshot } from './snapshot-store.ts';

/** How long the mirror waits for the Git host before giving up. */
export const GIT_FETCH_TIMEOUT_MS = 15_000;

export interface MirrorDependencies {
  readonly kv: KVNamespace;
  readonly settings: WorkerSettings;
  readonly githubToken?: string | undefined;
  readonly platform: WorkerPlatform;
  /** Ignore a retry time the Git host asked for (admin sync, first load). */
  readonly force?: boolean;
  /** Skip the run when the previous one failed less than this long ago (cold starts). */
  readonly minRetryIntervalMs?: number;
}

/** The outcome of one mirror run, as /admin/sync returns it. `snapshot` is what is current after it. */
export interface MirrorOutcome {
  readonly result: MirrorResult | 'skipped';
  readonly message: string;
  readonly version?: number;
  readonly retryAt?: number;
  readonly snapshot?: RegistrySnapshot;
}

interface Attempt {
  readonly result: MirrorResult;
  readonly message: string;
  readonly retryAt?: number;
  readonly snapshot?: RegistrySnapshot;
}

function gitRequestHeaders(current: RegistrySnapshot | undefined, token: string | undefined): Headers {
  const headers = new Headers({
    accept: 'application/json, text/plain;q=0.9',
    'user-agent': 'cartae-marketplace-worker (+https://marketplace.cartae.com)',
  });
  if (current?.meta.sourceEtag) headers.set('if-none-match', current.meta.sourceEtag);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return headers;
}

async function readBoundedBody(response: Response): Promise<ArrayBuffer | string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > REGISTRY_LIMITS.maxBytes) {
    await response.body?.cancel();
    return `Git answered ${declared} bytes, more than the ${REGISTRY_LIMITS.maxBytes}-byte limit`;
  }
  const bytes = await response.arrayBuffer();
  if (bytes.byteLength > REGISTRY_LIMITS.maxBytes)
    return `Git answered more than the ${REGISTRY_LIMITS.maxBytes}-byte limit`;
  return bytes;
}

/** One conversation with the Git host; never throws. */
async function attempt(deps: MirrorDependencies, current: RegistrySnapshot | undefined): Promise<Attempt> {
  const { settings, platform } = deps;
  if (settings.gitUrl === undefined) {
    return { result: 'failed', message: 'REGISTRY_GIT_URL is missing or refused; set it in wrangler.jsonc' };
  }
  let response: Response;
  try {
    response = await platform.fetch(settings.gitUrl, {
      headers: gitRequestHeaders(current, deps.githubToken),
      signal: AbortSignal.timeout(GIT_FETCH_TIMEOUT_MS),
    });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return { result: 'failed', message: `Git could not be reached: ${reason}` };
  }
  const now = platform.now();
  if (response.status === 304 && current !== undefined) {
    return { result: 'not-modified', message: 'Git answered 304 Not Modified', snapshot: current };
  }
  const rateLimit = parseRateLimit(response.status, response.headers, now);
  if (response.status === 429 || (response.status === 403 && rateLimit.limited)) {
    await response.body?.cancel();
    const retryAt = rateLimit.retryAt ?? rateLimit.resetAt;
    return {
      result: 'rate-limited',
      message: `Git rate-limited the mirror (HTTP ${response.status})`,
      ...(retryAt === undefined ? {} : { retryAt }),
    };
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    return {
      result: 'failed',
      message: `Git answered HTTP ${response.status}; keeping the current registry`,
    };
  }
  let body: ArrayBuffer | string;
  try {
    body = await readBoundedBody(response);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return { result: 'failed', message: `Git's answer broke off: ${reason}` };
  }
  if (typeof body === 'string') return { result: 'failed', message: body };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return { result: 'failed', message: 'Git answered bytes that are not UTF-8 text' };
  }
  const opened = await openRegistry(text, {
    now,
    trustedKeys: settings.trustedKeys,
    urlPolicy: settings.urlPolicy,
  });
  if (!opened.ok) {
    return {
      result: 'failed',
      message: `Git's registry was refused (${opened.error.code}): ${opened.error.message}`,
    };
  }
  const version = opened.value.registry.version;
  if (current !== undefined && version < current.meta.version) {
    return {
      result: 'rejected-older',
      message: `Git serves registry version ${version}, older than the current ${current.meta.version}; kept ${current.meta.version}`,
      snapshot: current,
    };
  }
  const etag = await strongEntityTag(body, `r${version}-`);
  const sourceEtag = response.headers.get('etag') ?? undefined;
  if (current !== undefined && current.meta.etag === etag && current.meta.sourceEtag === sourceEtag) {
    return { result: 'unchanged', message: `registry version ${version} is unchanged`, snapshot: current };
  }
  const snapshot: RegistrySnapshot = {
    bytes: body,
    meta: {
      version,
      etag,
      storedAt: now,
      size: body.byteLength,
      ...(sourceEtag === undefined ? {} : { sourceEtag }),
      ...(opened.value.signedBy === undefined ? {} : { signedBy: opened.value.signedBy }),
    },
  };
  await writeSnapshot(deps.kv, snapshot);
  const same = current !== undefined && current.meta.etag === etag;
  return {
    result: same ? 'unchanged' : 'updated',
    message: same ? `registry version ${version} is unchanged` : `stored registry version ${version}`,
    snapshot,
  };
}

/**
 * Mirrors the Git registry into KV once: conditional GET (with the token when set), size, UTF-8,
 * signature (when trusted keys are configured), schema and expiry checks, then the exact bytes
 * under their version and as current. Never replaces a newer version with an older one; on any
 * failure the current snapshot stays and the failure is recorded for /health. Never throws, except
 * when KV itself fails.
 *
 * @example
 * const outcome = await mirrorRegistry({ kv: env.REGISTRY_KV, settings, platform: DEFAULT_PLATFORM });
 * outcome.result; // 'updated' | 'not-modified' | 'rate-limited' | …
 */
export async function mirrorRegistry(deps: MirrorDependencies): Promise<MirrorOutcome> {
  const { kv, platform } = deps;
  const [previous, current] = await Promise.all([readMirrorStatus(kv), readCurrentSnapshot(kv)]);
  const startedAt = platform.now();
  if (!deps.force && previous?.retryAt !== undefined && previous.retryAt > startedAt) {
    return {
      result: 'skipped',
      message: `Git asked the mirror to wait until ${new Date(previous.retryAt).toISOString()}`,
      retryAt: previous.retryAt,
      ...(current === undefined ? {} : { version: current.meta.version, snapshot: current }),
    };
  }
  const sinceLastFailure =
    previous !== undefined && !HEALTHY_MIRROR_RESULTS.includes(previous.lastResult)
      ? startedAt - previous.lastAttemptAt
      : Number.POSITIVE_INFINITY;
  if (deps.minRetryIntervalMs !== undefined && sinceLastFailure < deps.minRetryIntervalMs) {
    return {
      result: 'skipped',
      message: `the last mirror run failed ${Math.round(sinceLastFailure / 1000)} s ago: ${previous?.lastMessage}`,
      ...(current === undefined ? {} : { version: current.meta.version, snapshot: current }),
    };
  }
  const run = await attempt(deps, current);
  const kept = run.snapshot ?? current;
  if (kept !== undefined) rememberSnapshot(kv, kept, platform.now());
  const status = nextMirrorStatus(previous, {
    result: run.result,
    message: run.message,
    at: startedAt,
    ...(run.retryAt === undefined ? {} : { retryAt: run.retryAt }),
    ...(kept === undefined ? {} : { version: kept.meta.version }),
  });
  await writeMirrorStatus(kv, status);
  platform.log('registry_mirror', { result: run.result, message: run.message, version: kept?.meta.version });
  return {
    result: run.result,
    message: run.message,
    ...(kept === undefined ? {} : { version: kept.meta.version, snapshot: kept }),
    ...(run.retryAt === undefined ? {} : { retryAt: run.retryAt }),
  };
}
