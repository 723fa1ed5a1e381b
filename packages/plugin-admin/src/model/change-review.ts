import { isSourceKind, SOURCE_KIND_TABLE, SOURCE_KINDS, type SourceKind } from '@cartae/marketplace-core';
import { diffConfig, type FieldChange } from './config-diff.ts';

/** The last "Test" of a source URL in this browser: which URL, and whether it passed. */
export interface UrlCheck {
  readonly url: string;
  readonly ok: boolean;
  readonly error?: string;
}

/** A URL the fleet would use that failed its last Test, or was never tested as it is now. */
export interface UrlWarning {
  readonly kind: SourceKind;
  readonly url: string;
  readonly problem: 'failed' | 'untested';
  readonly error?: string;
}

/** Everything the one review step shows before a save, a switch or a rollback. Pure data. */
export interface ChangeReview {
  /** Field by field, against the saved config. Empty: nothing would change, nothing is sent. */
  readonly changes: FieldChange[];
  readonly urlWarnings: UrlWarning[];
  /** The hosts apps fetch from now, and after the change (sources in priority order). */
  readonly hostsBefore: string[];
  readonly hostsAfter: string[];
  /** True when the change points the fleet at a host it does not use now. */
  readonly newHosts: boolean;
  /** "Every installed app follows within ~300 s (the cache TTL it holds now)." */
  readonly effect: string;
}

const DEFAULT_TTL = 300;

/** The source kinds a document sends apps to, in order (its priority, else its type's). */
export function kindsUsed(document: Record<string, unknown>): SourceKind[] {
  const declared = Array.isArray(document.priority)
    ? document.priority
    : document.type === 'hybrid'
      ? [...SOURCE_KINDS]
      : [document.type];
  return declared.filter(isSourceKind);
}

function hostOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

function hostsOf(document: Record<string, unknown>): string[] {
  const hosts = kindsUsed(document).map((kind) => hostOf(document[SOURCE_KIND_TABLE[kind].urlField]));
  return [...new Set(hosts.filter((h): h is string => h !== undefined))];
}

function ttlOf(document: Record<string, unknown>): number {
  return typeof document.cacheTtlSeconds === 'number' ? document.cacheTtlSeconds : DEFAULT_TTL;
}

/**
 * How long until every app has the change: apps refresh when the config they hold expires, so
 * the saved TTL decides; a new TTL applies from then on. Pure.
 *
 * @example
 * fleetEffect({ cacheTtlSeconds: 30 }, { cacheTtlSeconds: 60 });
 * // 'Every installed app follows within ~30 s (the cache TTL it holds now), then checks every ~60 s.'
 */
export function fleetEffect(saved: Record<string, unknown>, proposed: Record<string, unknown>): string {
  const before = ttlOf(saved);
  const after = ttlOf(proposed);
  const then = after === before ? '' : `, then checks every ~${after} s`;
  return `Every installed app follows within ~${before} s (the cache TTL it holds now)${then}.`;
}

/**
 * The review of `proposed` against `saved`: the diff, the URLs to worry about (those the fleet
 * would use whose last Test failed or that were never tested as they are), the hosts, the effect.
 */
export function reviewChange(
  saved: Record<string, unknown>,
  proposed: Record<string, unknown>,
  checks: Partial<Record<SourceKind, UrlCheck>> = {},
): ChangeReview {
  const urlWarnings: UrlWarning[] = [];
  for (const kind of kindsUsed(proposed)) {
    const url = proposed[SOURCE_KIND_TABLE[kind].urlField];
    if (typeof url !== 'string') continue;
    const check = checks[kind];
    if (!check || check.url !== url) urlWarnings.push({ kind, url, problem: 'untested' });
    else if (!check.ok) {
      urlWarnings.push({ kind, url, problem: 'failed', ...(check.error ? { error: check.error } : {}) });
    }
  }
  const hostsBefore = hostsOf(saved);
  const hostsAfter = hostsOf(proposed);
  return {
    changes: diffConfig(saved, proposed),
    urlWarnings,
    hostsBefore,
    hostsAfter,
    newHosts: hostsAfter.some((host) => !hostsBefore.includes(host)),
    effect: fleetEffect(saved, proposed),
  };
}
