import { SOURCE_KIND_TABLE, SOURCE_KINDS } from '@cartae/marketplace-core';

/**
 * The one table of what people call each setting of the `marketplace_source` document, by its
 * dotted path, in the order people read them. History (`describeChanges`) and the review step
 * before a save, a switch or a rollback (`ReviewDialog`) both name settings from here, so a
 * setting reads the same in both; a source's URL is named as its form field is (`Git URL`).
 */
export const CONFIG_SETTING_NAMES: ReadonlyMap<string, string> = new Map([
  ['type', 'Source'],
  ['priority', 'Order tried'],
  ...SOURCE_KINDS.map((kind): [string, string] => [
    SOURCE_KIND_TABLE[kind].urlField,
    `${SOURCE_KIND_TABLE[kind].label} URL`,
  ]),
  ['canaryPercent', 'Canary percentage'],
  ['cacheTtlSeconds', 'Cache TTL'],
  ['fallbackOnError', 'Fall back on error'],
  ['healthCheckEnabled', 'Health checks'],
  ['healthCheckIntervalSeconds', 'Health check interval'],
  ['autoSwitch.enabled', 'Automatic switch'],
  ['autoSwitch.rateLimitedPercent', 'Automatic switch: rate-limited threshold'],
  ['autoSwitch.windowMinutes', 'Automatic switch: window'],
  ['autoSwitch.target', 'Automatic switch: target'],
  ['rolloutGuard.enabled', 'Rollout guard'],
  ['rolloutGuard.errorPercent', 'Rollout guard: error threshold'],
  ['rolloutGuard.windowMinutes', 'Rollout guard: window'],
  ['canaryRamp.enabled', 'Canary ramp'],
  ['canaryRamp.steps', 'Canary ramp: steps'],
  ['canaryRamp.holdMinutes', 'Canary ramp: hold'],
]);

const RANK = new Map([...CONFIG_SETTING_NAMES.keys()].map((path, index) => [path, index]));

/**
 * A setting's name on screen; a setting this panel does not know (a newer field) by its path.
 *
 * @example
 * settingName('cacheTtlSeconds'); // 'Cache TTL'
 * settingName('futureField'); // 'futureField'
 */
export function settingName(path: string): string {
  return CONFIG_SETTING_NAMES.get(path) ?? path;
}

/**
 * Orders setting paths as people read them: known settings in the table's order, unknown ones
 * after them by path. For `Array.prototype.sort`.
 *
 * @example
 * ['x.y', 'type', 'cacheTtlSeconds'].sort(bySettingOrder); // ['type', 'cacheTtlSeconds', 'x.y']
 */
export function bySettingOrder(a: string, b: string): number {
  const rank = (path: string) => RANK.get(path) ?? RANK.size;
  return rank(a) - rank(b) || a.localeCompare(b);
}
