/**
 * Which config answers an install adopts: config versions never go backwards (issue 12, item 5).
 * The control plane bumps the version on every change, rollbacks included, so a lower version is
 * always an older copy (a lagging edge cache, the Worker's stale copy), never a newer decision.
 */

/** What adoption looks at in one usable answer. */
export interface ConfigAnswerFacts {
  /** The control plane's version; absent from very old control planes and some custom providers. */
  readonly version: number | undefined;
  /** A copy served while the control plane fails (the Worker's `x-config-stale`). */
  readonly stale: boolean;
}

export interface ConfigJudgement {
  /** Use this answer's document from now on (and persist it). */
  readonly adopt: boolean;
  /** The control plane vouched for the config: its TTL starts again now. */
  readonly fresh: boolean;
}

/**
 * Whether `version` is older than `highest`, the highest version this install has adopted. A
 * missing version ranks below every version; two missing versions tie, since nothing says which
 * is newer (the later answer then wins, as it did before versions existed).
 *
 * @example
 * isOlderConfigVersion(6, 7); // true
 * isOlderConfigVersion(undefined, 7); // true: an unversioned answer cannot prove it is newer
 * isOlderConfigVersion(3, undefined); // false: any version beats none
 */
export function isOlderConfigVersion(version: number | undefined, highest: number | undefined): boolean {
  if (highest === undefined) return false;
  return version === undefined || version < highest;
}

/**
 * The one judgement of a usable config answer. Adopted unless older than what the install has
 * adopted (an equal version is the same config, confirmed). A fresh answer restarts the TTL even
 * when it is older: the control plane answered and has nothing newer than what the app holds. A
 * stale answer never restarts it, adopted or not: the control plane did not answer.
 *
 * @example
 * judgeConfigAnswer({ version: 6, stale: true }, 7); // { adopt: false, fresh: false }
 * judgeConfigAnswer({ version: 8, stale: false }, 7); // { adopt: true, fresh: true }
 */
export function judgeConfigAnswer(answer: ConfigAnswerFacts, highest: number | undefined): ConfigJudgement {
  return { adopt: !isOlderConfigVersion(answer.version, highest), fresh: !answer.stale };
}
