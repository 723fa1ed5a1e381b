import type { FleetVersionInstalls } from './fleet-usage.ts';

/** How far the fleet has moved to the current config version, in the latest complete minute. */
export interface Convergence {
  /** The version the control plane holds now; undefined when it could not be read. */
  readonly currentVersion: number | undefined;
  /** Installs on the current version (0 when it is unknown). */
  readonly onCurrent: number;
  /** Installs that reported a version: the sum over `versions`. */
  readonly reporting: number;
  /** `onCurrent / reporting` (0–1); null when no install reported or the current version is unknown. */
  readonly share: number | null;
  /** The other versions still in use, most installs first. */
  readonly others: readonly FleetVersionInstalls[];
}

/**
 * Compares the installs per version with the current version. The shares are of the installs that
 * reported a version — the versions' sum, so the shares of all versions add up to 100 % (the
 * control plane counts an install once per version, taking the larger of its sources).
 *
 * @example
 * convergence([{ configVersion: 14, installs: 87 }, { configVersion: 13, installs: 13 }], 14).share; // 0.87
 */
export function convergence(
  versions: readonly FleetVersionInstalls[],
  currentVersion: number | undefined,
): Convergence {
  const reporting = versions.reduce((sum, v) => sum + v.installs, 0);
  const onCurrent =
    currentVersion === undefined
      ? 0
      : versions.reduce((sum, v) => sum + (v.configVersion === currentVersion ? v.installs : 0), 0);
  return {
    currentVersion,
    onCurrent,
    reporting,
    share: reporting > 0 && currentVersion !== undefined ? onCurrent / reporting : null,
    others: versions
      .filter((v) => v.configVersion !== currentVersion && v.installs > 0)
      .toSorted((a, b) => b.installs - a.installs || b.configVersion - a.configVersion),
  };
}

/**
 * A whole percentage that never claims more than is true: 100 % only when every install is there,
 * `< 1 %` rather than 0 % when a few are.
 */
function percent(share: number): string {
  if (share >= 1) return '100 %';
  if (share > 0 && share < 0.01) return '< 1 %';
  return `${Math.floor(share * 100)} %`;
}

const versionName = (v: number) => (v === 0 ? 'the built-in default' : `v${v}`);

/**
 * The convergence line: `87 % of active installs on v14`, or why it cannot be said.
 *
 * @example
 * describeConvergence(convergence([{ configVersion: 14, installs: 1 }], 14)); // '100 % of active installs on v14'
 */
export function describeConvergence(c: Convergence): string {
  if (c.reporting === 0) return 'No install reported its config version in the last complete minute.';
  if (c.currentVersion === undefined || c.share === null) {
    return 'The current config version could not be read, so convergence is unknown.';
  }
  return `${percent(c.share)} of active installs on ${versionName(c.currentVersion)}`;
}

/** `v13: 9 installs, the built-in default: 1 install`, or '' when every install is current. */
export function describeOtherVersions(c: Convergence): string {
  return c.others
    .map((v) => `${versionName(v.configVersion)}: ${v.installs} install${v.installs === 1 ? '' : 's'}`)
    .join(', ');
}
