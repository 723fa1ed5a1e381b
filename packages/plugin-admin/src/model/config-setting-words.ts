import { isSourceKind, SOURCE_KIND_TABLE, SOURCE_KINDS } from '@cartae/marketplace-core';
import { SOURCE_PRESETS } from './source-presets.ts';

/**
 * How each setting of the `marketplace_source` document reads to people: its name, by dotted
 * path, in the order people read them, and its value with its unit (`settingValue`). History
 * (`describeChanges`), the review step before a save, a switch or a rollback (`ReviewDialog`) and
 * the conflict view (`ConflictReview`) all word settings from here, so a setting reads the same
 * everywhere; a source's URL is named as its form field is (`Git URL`).
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

const NOT_SET = 'not set';
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
const onOff = (v: unknown) => (v === true ? 'on' : v === false ? 'off' : undefined);
const unit = (suffix: string) => (v: unknown) => (typeof v === 'number' ? `${fmt(v)} ${suffix}` : undefined);
const sourceName = (v: unknown) =>
  typeof v === 'string' && isSourceKind(v) ? SOURCE_KIND_TABLE[v].label : undefined;
const shortName = (v: unknown) =>
  typeof v === 'string' && isSourceKind(v) ? SOURCE_KIND_TABLE[v].shortLabel : String(v);
const presetName = (v: unknown) =>
  SOURCE_PRESETS.find((p) => p.id === v)?.name ?? (typeof v === 'string' ? v : undefined);
const sourceType = (v: unknown) => (v === 'hybrid' ? 'Hybrid (both sources)' : sourceName(v));
const url = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** How the value of each known setting reads, by path. */
const VALUE_WORDS: Readonly<Record<string, (v: unknown) => string | undefined>> = {
  type: sourceType,
  priority: (v) => (Array.isArray(v) ? v.map(shortName).join(' → ') : undefined),
  ...Object.fromEntries(Object.values(SOURCE_KIND_TABLE).map((k) => [k.urlField, url])),
  canaryPercent: unit('%'),
  cacheTtlSeconds: unit('s'),
  fallbackOnError: onOff,
  healthCheckEnabled: onOff,
  healthCheckIntervalSeconds: unit('s'),
  'autoSwitch.enabled': onOff,
  'autoSwitch.rateLimitedPercent': unit('%'),
  'autoSwitch.windowMinutes': unit('min'),
  'autoSwitch.target': presetName,
  'rolloutGuard.enabled': onOff,
  'rolloutGuard.errorPercent': unit('%'),
  'rolloutGuard.windowMinutes': unit('min'),
  'canaryRamp.enabled': onOff,
  'canaryRamp.steps': (v) =>
    Array.isArray(v)
      ? `${v.map((n) => (typeof n === 'number' ? fmt(n) : String(n))).join(' → ')} %`
      : undefined,
  'canaryRamp.holdMinutes': unit('min'),
};

/**
 * A setting's value in words, with its unit; "not set" when absent; a value this panel does not
 * know how to word (a newer setting, an unexpected type) as it is, JSON for non-strings.
 *
 * @example
 * settingValue('cacheTtlSeconds', 60); // '60 s'
 * settingValue('priority', ['cloudflare', 'git']); // 'CDN → Git'
 * settingValue('canaryPercent', undefined); // 'not set'
 */
export function settingValue(path: string, value: unknown): string {
  if (value === undefined) return NOT_SET;
  const known = Object.hasOwn(VALUE_WORDS, path) ? VALUE_WORDS[path]?.(value) : undefined;
  if (known !== undefined) return known;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
