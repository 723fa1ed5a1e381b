import { isSourceKind, SOURCE_KIND_TABLE } from '@cartae/marketplace-core';
import { bySettingOrder, settingName } from './config-setting-names.ts';
import { SOURCE_PRESETS } from './source-presets.ts';

/** One changed setting, in words: `Cache TTL: 30 s → 60 s`. */
export interface ChangeLine {
  /** The document path (`autoSwitch.enabled`), for keys and for settings this panel does not know. */
  readonly path: string;
  readonly label: string;
  readonly before: string;
  readonly after: string;
}

const NOT_SET = 'not set';
const onOff = (v: unknown) => (v === true ? 'on' : v === false ? 'off' : undefined);
const unit = (suffix: string) => (v: unknown) => (typeof v === 'number' ? `${fmt(v)} ${suffix}` : undefined);
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
const sourceName = (v: unknown) =>
  typeof v === 'string' && isSourceKind(v) ? SOURCE_KIND_TABLE[v].label : undefined;
const shortName = (v: unknown) =>
  typeof v === 'string' && isSourceKind(v) ? SOURCE_KIND_TABLE[v].shortLabel : String(v);
const presetName = (v: unknown) =>
  SOURCE_PRESETS.find((p) => p.id === v)?.name ?? (typeof v === 'string' ? v : undefined);
const sourceType = (v: unknown) => (v === 'hybrid' ? 'Hybrid (both sources)' : sourceName(v));

/** How the value of each known setting reads, by path; its name is in `config-setting-names.ts`. */
type ValueWords = (v: unknown) => string | undefined;
const url: ValueWords = (v) => (typeof v === 'string' ? v : undefined);
const VALUE_WORDS: Readonly<Record<string, ValueWords>> = {
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

/** Leaves of a document by dotted path; arrays are one value. */
function leaves(doc: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    if (prefix) out.set(prefix, doc);
    return out;
  }
  for (const [key, value] of Object.entries(doc)) leaves(value, prefix ? `${prefix}.${key}` : key, out);
  return out;
}

function read(path: string, value: unknown): string {
  if (value === undefined) return NOT_SET;
  const known = Object.hasOwn(VALUE_WORDS, path) ? VALUE_WORDS[path]?.(value) : undefined;
  if (known !== undefined) return known;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * What changed between two config documents, setting by setting, in words: known settings by
 * the name the review step uses too (`config-setting-names.ts`), with their units (`Cache TTL: 30 s → 60 s`), in a fixed order; settings this panel does
 * not know by their path, after them. A setting absent on one side reads "not set". Pure.
 *
 * @example
 * describeChanges({ cacheTtlSeconds: 30 }, { cacheTtlSeconds: 60 });
 * // [{ path: 'cacheTtlSeconds', label: 'Cache TTL', before: '30 s', after: '60 s' }]
 */
export function describeChanges(before: unknown, after: unknown): ChangeLine[] {
  const [a, b] = [leaves(before ?? {}), leaves(after ?? {})];
  const paths = [...new Set([...a.keys(), ...b.keys()])].filter(
    (p) => JSON.stringify(a.get(p)) !== JSON.stringify(b.get(p)),
  );
  paths.sort(bySettingOrder);
  return paths.map((path) => ({
    path,
    label: settingName(path),
    before: read(path, a.get(path)),
    after: read(path, b.get(path)),
  }));
}
