import { SOURCE_KIND_TABLE, type SourceKind } from '@cartae/marketplace-core';
import type { SourcePlan } from './source-plan.ts';

/** A source's short name in a sentence: `Git`, `CDN`. */
const named = (kind: SourceKind): string => SOURCE_KIND_TABLE[kind].shortLabel;

/** `12%`, `0.5%`: as the admin panel writes a canary share. */
const percent = (value: number): string => `${Number(value.toFixed(2))}%`;

/**
 * The config's source mode in words, for the whole fleet: `Git only`, `CDN (Git as fallback)`,
 * `Hybrid (CDN first, Git as fallback)`, or with a canary
 * `Hybrid (Git first for a 12% canary, CDN first for the rest; each falls back to the other)`.
 */
export function sourceModeWords(plan: SourcePlan): string {
  const [canaryFirst, restFirst] = plan.priority;
  if (plan.canary === 'some' && canaryFirst !== undefined && restFirst !== undefined) {
    const after = plan.fallbackOnError ? 'each falls back to the other' : 'no fallback';
    return `Hybrid (${named(canaryFirst)} first for a ${percent(plan.canaryPercent)} canary, ${named(restFirst)} first for the rest; ${after})`;
  }
  // Every install takes the same order here, so this install's order is the fleet's.
  const [first, ...fallbacks] = plan.installOrder.map(named);
  if (plan.type === 'hybrid') {
    return fallbacks.length === 0
      ? `Hybrid (${first} first, no fallback)`
      : `Hybrid (${first} first, ${fallbacks.join(', then ')} as fallback)`;
  }
  return fallbacks.length === 0 ? `${first} only` : `${first} (${fallbacks.join(', then ')} as fallback)`;
}

/**
 * The order this install tries the sources in: `Tries CDN first, then Git`, or in a hybrid with a
 * canary `In the 12% canary: tries Git first, then CDN` / `Outside the 12% canary: …`.
 */
export function installOrderWords(plan: SourcePlan): string {
  const [first, ...then] = plan.installOrder.map(named);
  const tries =
    then.length === 0 ? `tries ${first} only` : `tries ${first} first, then ${then.join(', then ')}`;
  if (plan.canary !== 'some') return `T${tries.slice(1)}`;
  return `${plan.installInCanary ? 'In' : 'Outside'} the ${percent(plan.canaryPercent)} canary: ${tries}`;
}

/** What the resolver reported about the read on screen (`getRegistry()`'s answer). */
export interface ServedAnswer {
  readonly source: SourceKind;
  /** Served by a source other than the one tried first. */
  readonly fallback: boolean;
  /** No source answered: the last good copy. */
  readonly stale: boolean;
}

/**
 * How the list on screen was served, against this install's plan: its first choice, a fallback
 * (`Fallback: CDN failed, so Git served this list`), a first choice the resolver set aside for its
 * health, or the saved copy.
 */
export function servedWords(plan: SourcePlan, answer: ServedAnswer): string {
  const served = named(answer.source);
  if (answer.stale) return `Saved copy from ${served}: no source answered just now`;
  const [first] = plan.installOrder;
  if (answer.fallback) {
    // The resolver reports that another source was tried first, not which: of the kinds this
    // install tries, the first that did not serve (with the two known kinds, the other one).
    const tried = plan.installOrder.find((kind) => kind !== answer.source);
    return tried === undefined
      ? `Fallback: the first source tried failed, so ${served} served this list`
      : `Fallback: ${named(tried)} failed, so ${served} served this list`;
  }
  if (first === undefined || answer.source === first) return `${served}, this install’s first choice`;
  return `${named(first)} is set aside for now (failing or rate-limited), so ${served} served this list`;
}
