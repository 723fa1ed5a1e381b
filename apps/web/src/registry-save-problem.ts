import type { StorageWriteFailure } from '@cartae/marketplace-resolver';
import type { RegistryView } from './registry-view.ts';

/** A registry the resolver could not keep on this device, as its `registry-not-saved` event said. */
export interface RegistrySaveProblem {
  /** The registry version that was not saved. */
  readonly version: number;
  readonly code: StorageWriteFailure['code'];
  /** The resolver's own words for why (the storage's error). */
  readonly message: string;
}

/**
 * What the save problem learns from: the resolver announcing a registry it could not save, or the
 * page showing a registry (after a read).
 */
export type SaveHappening =
  | ({ readonly kind: 'not-saved' } & RegistrySaveProblem)
  | { readonly kind: 'shown'; readonly version: number };

/**
 * Folds one happening into the save problem the page knows of. The resolver announces only
 * failures, and tries to save every registry it newly takes: so a list of another version shown
 * without a failure of its own was saved (or is being saved, and a failure would follow), and
 * the old problem is over. The same version shown again keeps it: the resolver does not retry a
 * copy it already holds. Pure.
 *
 * @example
 * nextSaveProblem(undefined, { kind: 'not-saved', version: 7, code: 'storage_full', message }); // { version: 7, … }
 * nextSaveProblem({ version: 7, … }, { kind: 'shown', version: 8 }); // undefined
 */
export function nextSaveProblem(
  current: RegistrySaveProblem | undefined,
  happening: SaveHappening,
): RegistrySaveProblem | undefined {
  if (happening.kind === 'not-saved') {
    const { version, code, message } = happening;
    return { version, code, message };
  }
  return current?.version === happening.version ? current : undefined;
}

/**
 * The save problem of the list on screen, if any: none while nothing is shown, nor for another
 * version than the one shown (an announcement that arrived before its list). Pure.
 */
export function shownSaveProblem(
  view: RegistryView,
  problem: RegistrySaveProblem | undefined,
): RegistrySaveProblem | undefined {
  if (view.kind !== 'ready' || problem?.version !== view.registry.version) return undefined;
  return problem;
}

const CODE_WORDS: Record<RegistrySaveProblem['code'], string> = {
  storage_full: 'storage full',
  storage_unavailable: 'storage refused or unavailable',
};

/**
 * What the page tells a person about a list it could not save: what it means for them, then the
 * reason the resolver gave. Pure.
 *
 * @example
 * saveProblemWords({ version: 7, code: 'storage_full', message: 'QuotaExceededError' });
 * // ['This list could not be saved on this device (storage full): next time without a network it will not be shown.',
 * //  'Reason given: QuotaExceededError.']
 */
export function saveProblemWords(problem: RegistrySaveProblem): readonly string[] {
  const reason = problem.message.trim().replace(/\.$/, '');
  return [
    `This list could not be saved on this device (${CODE_WORDS[problem.code]}): ` +
      'next time without a network it will not be shown.',
    ...(reason ? [`Reason given: ${reason}.`] : []),
  ];
}
