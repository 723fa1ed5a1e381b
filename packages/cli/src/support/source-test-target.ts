import { SOURCE_KIND_TABLE, type SourceKind } from '@cartae/marketplace-core';
import type { LocalStackInfo } from './local-stack-file.ts';

/**
 * The kind a URL names, for `test <url>` without `--kind`: a Git source is a registry file
 * (`…/registry.json`), a CDN source an origin whose routes the Worker answers (`/api/plugins`). Pure.
 *
 * @example
 * kindOfUrl('http://127.0.0.1:8790/registry.json'); // 'git'
 * kindOfUrl('https://marketplace.cartae.com'); // 'cloudflare'
 */
export function kindOfUrl(url: string): SourceKind {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return 'cloudflare'; // the URL check says what is wrong with it
  }
  return path.toLowerCase().endsWith('.json') ? 'git' : 'cloudflare';
}

/**
 * Whether `url` is one of the sources the running local stack printed (same origin as its Git
 * host or Worker): its apps accept plain http on loopback, so `test` does too. Pure.
 */
export function isLocalStackSource(url: string, local: LocalStackInfo | undefined): boolean {
  if (!local) return false;
  const origin = (u: string) => {
    try {
      return new URL(u).origin;
    } catch {
      return undefined;
    }
  };
  const wanted = origin(url);
  return wanted !== undefined && [local.gitUrl, local.workerUrl].some((u) => u && origin(u) === wanted);
}

/** `Git`, `Cloudflare CDN`: the name of a kind on screen. */
export const kindLabel = (kind: SourceKind): string => SOURCE_KIND_TABLE[kind].label;

/**
 * Why a fetch from this machine failed, in words: Node's `fetch failed` hides the reason in
 * `cause` (`connect ECONNREFUSED 127.0.0.1:9`, `getaddrinfo ENOTFOUND …`).
 */
export function connectionFailure(error: unknown): string {
  const cause = (error as { cause?: { message?: string } } | undefined)?.cause;
  const reason = cause?.message ?? (error as Error | undefined)?.message ?? String(error);
  return `cannot connect from this machine (${reason}): is the source running, and the address right?`;
}
