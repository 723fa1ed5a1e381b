import { REGISTRY_LIMITS, REGISTRY_SIGNATURE_LIMITS, registrySignatureUrl } from '@cartae/marketplace-core';
import { strongEntityTag } from '../http/entity-tag.ts';
import type { WorkerPlatform } from '../worker-platform.ts';
import type { WorkerSettings } from '../worker-settings.ts';
import { fetchGitFile, type GitFileAnswer } from './git-file-fetch.ts';
import {
  HEALTHY_MIRROR_RESULTS,
  type MirrorResult,
  nextMirrorStatus,
  readMirrorStatus,
  writeMirrorStatus,
} from './mirror-status.ts';
import { openMirroredRegistry } from './open-mirrored-registry.ts';
import { writePluginShards } from './plugin-shards.ts';
import type { RegistrySnapshot } from './registry-snapshot.ts';
import { rememberSnapshot } from './snapshot-memory.ts';
import { readCurrentSnapshot, writeSnapshot } from './snapshot-store.ts';

export { GIT_FETCH_TIMEOUT_MS } from './git-file-fetch.ts';

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

/** The signature file Git serves now, or why the run stops. */
type SignatureNow =
  | { readonly ok: true; readonly text: string | undefined; readonly sourceEtag: string | undefined }
  | { readonly ok: false; readonly attempt: Attempt };

function rateLimited(answers: readonly GitFileAnswer[]): Attempt | undefined {
  const limited = answers.filter((a) => a.kind === 'rate-limited');
  if (limited.length === 0) return undefined;
  const retryAts = limited.flatMap((a) => (a.retryAt === undefined ? [] : [a.retryAt]));
  const status = limited[0]?.status;
  return {
    result: 'rate-limited',
    message: `Git rate-limited the mirror (HTTP ${status})`,
    ...(retryAts.length === 0 ? {} : { retryAt: Math.max(...retryAts) }),
  };
}

function signatureNow(answer: GitFileAnswer, current: RegistrySnapshot | undefined): SignatureNow {
  const fail = (message: string): SignatureNow => ({ ok: false, attempt: { result: 'failed', message } });
  switch (answer.kind) {
    case 'missing':
      return { ok: true, text: undefined, sourceEtag: undefined };
    case 'not-modified':
      if (current?.signature === undefined) return fail('Git answered 304 for a signature file not held');
      return { ok: true, text: current.signature, sourceEtag: current.meta.signatureSourceEtag };
    case 'body':
      try {
        const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(answer.bytes);
        return { ok: true, text, sourceEtag: answer.sourceEtag };
      } catch {
        return fail('Git answered a registry.json.sig that is not UTF-8 text; keeping the current registry');
      }
    case 'failed':
      return fail(`${answer.message}; keeping the current registry`);
    case 'rate-limited':
      return fail('Git rate-limited the mirror');
  }
}

function signedText(snapshot: { readonly signature?: string; readonly meta: { signedBy?: string } }) {
  if (snapshot.signature === undefined) return 'unsigned';
  return snapshot.meta.signedBy === undefined
    ? 'with its signature file'
    : `signed by ${snapshot.meta.signedBy}`;
}

/**
 * One conversation with the Git host: registry.json and registry.json.sig, both conditional, in
 * parallel; then one judgement over the pair and one snapshot holding both. Never throws.
 */
async function attempt(deps: MirrorDependencies, current: RegistrySnapshot | undefined): Promise<Attempt> {
  const { settings, platform } = deps;
  if (settings.gitUrl === undefined) {
    return { result: 'failed', message: 'REGISTRY_GIT_URL is missing or refused; set it in wrangler.jsonc' };
  }
  const common = { githubToken: deps.githubToken, platform };
  const [registryAnswer, signatureAnswer] = await Promise.all([
    fetchGitFile({
      ...common,
      url: settings.gitUrl,
      name: 'registry.json',
      etag: current?.meta.sourceEtag,
      maxBytes: REGISTRY_LIMITS.maxBytes,
    }),
    fetchGitFile({
      ...common,
      url: registrySignatureUrl(settings.gitUrl),
      name: 'registry.json.sig',
      etag: current?.signature === undefined ? undefined : current.meta.signatureSourceEtag,
      maxBytes: REGISTRY_SIGNATURE_LIMITS.maxBytes,
    }),
  ]);
  const now = platform.now();
  const limited = rateLimited([registryAnswer, signatureAnswer]);
  if (limited !== undefined) return limited;
  if (registryAnswer.kind === 'failed') {
    return { result: 'failed', message: `${registryAnswer.message}; keeping the current registry` };
  }
  if (registryAnswer.kind === 'missing') {
    return {
      result: 'failed',
      message: `Git answered HTTP ${registryAnswer.status} for registry.json; keeping the current registry`,
    };
  }
  if (registryAnswer.kind === 'not-modified' && current === undefined) {
    return { result: 'failed', message: 'Git answered 304 for a registry not held' };
  }
  const signature = signatureNow(signatureAnswer, current);
  if (!signature.ok) return signature.attempt;

  const keyed = settings.trustedKeys.length > 0;
  const verifiedNow =
    current?.meta.signedBy !== undefined && settings.trustedKeys.some((k) => k.kid === current.meta.signedBy);
  if (
    registryAnswer.kind === 'not-modified' &&
    current !== undefined &&
    signature.text === current.signature &&
    (!keyed || verifiedNow) &&
    // A snapshot stored before per-plugin shards is judged again once, to store its shards.
    current.meta.pluginShards !== undefined
  ) {
    return { result: 'not-modified', message: 'Git answered 304 Not Modified', snapshot: current };
  }
  const bytes = registryAnswer.kind === 'body' ? registryAnswer.bytes : (current as RegistrySnapshot).bytes;
  const sourceEtag = registryAnswer.kind === 'body' ? registryAnswer.sourceEtag : current?.meta.sourceEtag;
  const verdict = await openMirroredRegistry(bytes, signature.text, settings, now);
  if (!verdict.ok) {
    const kept =
      current === undefined ? '' : `; kept version ${current.meta.version} (${signedText(current)})`;
    return { result: 'failed', message: `${verdict.message}${kept}` };
  }
  const { version, signedBy } = verdict;
  if (current !== undefined && version < current.meta.version) {
    return {
      result: 'rejected-older',
      message: `Git serves registry version ${version}, older than the current ${current.meta.version}; kept ${current.meta.version}`,
      snapshot: current,
    };
  }
  const etag = await strongEntityTag(bytes, `r${version}-`);
  const signatureBytes = signature.text === undefined ? undefined : new TextEncoder().encode(signature.text);
  const sameBytes = current !== undefined && current.meta.etag === etag;
  // Per-plugin answers, prepared once per version (the shards are keyed by the bytes' ETag); stored
  // before the snapshot that names them, so no reader meets a snapshot whose shards are missing.
  const pluginShards =
    sameBytes && current.meta.pluginShards !== undefined
      ? current.meta.pluginShards
      : await writePluginShards(deps.kv, etag, verdict.plugins, bytes.byteLength);
  const snapshot: RegistrySnapshot = {
    bytes,
    ...(signature.text === undefined ? {} : { signature: signature.text }),
    meta: {
      version,
      etag,
      storedAt: now,
      size: bytes.byteLength,
      ...(sourceEtag === undefined ? {} : { sourceEtag }),
      ...(signedBy === undefined ? {} : { signedBy }),
      ...(signatureBytes === undefined
        ? {}
        : {
            signatureSize: signatureBytes.byteLength,
            signatureEtag: await strongEntityTag(signatureBytes, `s${version}-`),
            ...(signature.sourceEtag === undefined ? {} : { signatureSourceEtag: signature.sourceEtag }),
          }),
      pluginShards,
    },
  };
  const unchanged =
    sameBytes && current.signature === snapshot.signature && current.meta.signedBy === signedBy;
  const sameSourceTags =
    current?.meta.sourceEtag === sourceEtag &&
    current?.meta.signatureSourceEtag === snapshot.meta.signatureSourceEtag;
  if (unchanged && sameSourceTags && current.meta.pluginShards === pluginShards) {
    return { result: 'unchanged', message: `registry version ${version} is unchanged`, snapshot: current };
  }
  await writeSnapshot(deps.kv, snapshot);
  if (unchanged)
    return { result: 'unchanged', message: `registry version ${version} is unchanged`, snapshot };
  const what = !sameBytes
    ? `stored registry version ${version}`
    : current.signature === snapshot.signature
      ? `verified registry version ${version}`
      : `stored the signature file of registry version ${version}`;
  return { result: 'updated', message: `${what} (${signedText(snapshot)})`, snapshot };
}

/**
 * Mirrors the Git registry and its detached signature file into KV once: conditional GETs (with
 * the token when set), size, UTF-8, signature (verified when REGISTRY_TRUSTED_KEYS is set, stored
 * as found otherwise), schema and expiry checks, then the exact bytes and the signature as one
 * snapshot, under their version and as current. Never replaces a newer version with an older
 * one; on any failure the current snapshot stays and the failure is recorded for /health. Never
 * throws, except when KV itself fails.
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
  platform.log('registry_mirror', {
    result: run.result,
    message: run.message,
    version: kept?.meta.version,
    signedBy: kept?.meta.signedBy,
  });
  return {
    result: run.result,
    message: run.message,
    ...(kept === undefined ? {} : { version: kept.meta.version, snapshot: kept }),
    ...(run.retryAt === undefined ? {} : { retryAt: run.retryAt }),
  };
}
