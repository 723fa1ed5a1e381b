import { isSourceKind, SOURCE_KIND_TABLE } from '@cartae/marketplace-core';
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

/** Known settings in the order people read them; each with its name and how its value reads. */
type Field = readonly [path: string, label: string, read: (v: unknown) => string | undefined];
const FIELDS: readonly Field[] = [
  ['type', 'Source', sourceType],
  ['priority', 'Order tried', (v) => (Array.isArray(v) ? v.map(shortName).join(' → ') : undefined)],
  ...Object.values(SOURCE_KIND_TABLE).map(
    (k): Field => [k.urlField, `${k.label} URL`, (v) => (typeof v === 'string' ? v : undefined)],
  ),
  ['canaryPercent', 'Canary share', unit('%')],
  ['cacheTtlSeconds', 'Cache TTL', unit('s')],
  ['fallbackOnError', 'Fall back on error', onOff],
  ['healthCheckEnabled', 'Health checks', onOff],
  ['healthCheckIntervalSeconds', 'Health check interval', unit('s')],
  ['autoSwitch.enabled', 'Automatic switch', onOff],
  ['autoSwitch.rateLimitedPercent', 'Automatic switch: rate-limited threshold', unit('%')],
  ['autoSwitch.windowMinutes', 'Automatic switch: window', unit('min')],
  ['autoSwitch.target', 'Automatic switch: target', presetName],
  ['rolloutGuard.enabled', 'Rollout guard', onOff],
  ['rolloutGuard.errorPercent', 'Rollout guard: error threshold', unit('%')],
  ['rolloutGuard.windowMinutes', 'Rollout guard: window', unit('min')],
  ['canaryRamp.enabled', 'Canary ramp', onOff],
  [
    'canaryRamp.steps',
    'Canary ramp: steps',
    (v) =>
      Array.isArray(v)
        ? `${v.map((n) => (typeof n === 'number' ? fmt(n) : String(n))).join(' → ')} %`
        : undefined,
  ],
  ['canaryRamp.holdMinutes', 'Canary ramp: hold', unit('min')],
];
const ORDER = new Map(FIELDS.map(([path], i) => [path, i]));

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
  const known = FIELDS[ORDER.get(path) ?? -1]?.[2](value);
  if (known !== undefined) return known;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * What changed between two config documents, setting by setting, in words: known settings by
 * name with their units (`Cache TTL: 30 s → 60 s`), in a fixed order; settings this panel does
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
  const rank = (p: string) => ORDER.get(p) ?? FIELDS.length;
  paths.sort((x, y) => rank(x) - rank(y) || x.localeCompare(y));
  return paths.map((path) => ({
    path,
    label: FIELDS[ORDER.get(path) ?? -1]?.[1] ?? path,
    before: read(path, a.get(path)),
    after: read(path, b.get(path)),
  }));
}
