import { SOURCE_KIND_TABLE, SOURCE_KINDS, type SourceKind } from '@cartae/marketplace-core';

/** The panel's icon for each switch (components/Icon.tsx draws it; no emoji font needed). */
const KIND_ICON = { git: 'package', cloudflare: 'cloud' } as const satisfies Record<SourceKind, string>;

/** The switch to one source alone, named as `SOURCE_KIND_TABLE` names it: `Git`. */
function single<Kind extends SourceKind>(kind: Kind) {
  const { label } = SOURCE_KIND_TABLE[kind];
  return { id: kind, label, icon: KIND_ICON[kind], name: label, type: kind, priority: [kind] } as const;
}

/** The switch to a hybrid that tries `first`, then `second`: `Hybrid (CDN → Git)`. */
function hybrid<Id extends string>(id: Id, first: SourceKind, second: SourceKind) {
  const [a, b] = [SOURCE_KIND_TABLE[first].shortLabel, SOURCE_KIND_TABLE[second].shortLabel];
  return {
    id,
    label: `Hybrid (${a} → ${b})`,
    icon: 'hybrid',
    name: `Hybrid, ${a} first then ${b}`,
    type: 'hybrid',
    priority: [first, second],
  } as const;
}

/** The four switches the admin panel offers, as the user's design names them. */
export const SOURCE_PRESETS = [
  single('git'),
  single('cloudflare'),
  hybrid('hybrid-cdn-first', 'cloudflare', 'git'),
  hybrid('hybrid-git-first', 'git', 'cloudflare'),
] as const;

export type SourcePreset = (typeof SOURCE_PRESETS)[number];
export type SourcePresetId = SourcePreset['id'];

/** Which preset a document is in (by type and priority), if any. */
export function presetOf(document: Record<string, unknown>): SourcePreset | undefined {
  const type = document.type;
  const priority = Array.isArray(document.priority)
    ? document.priority
    : type === 'hybrid'
      ? SOURCE_KINDS
      : [type];
  return SOURCE_PRESETS.find((p) => p.type === type && p.priority.join() === priority.join());
}

/** The document with the preset's type and priority; every other key kept as it is. */
export function withPreset(document: Record<string, unknown>, preset: SourcePreset): Record<string, unknown> {
  return { ...document, type: preset.type, priority: [...preset.priority] };
}

/** "within 5 minutes": how long until every installed app has the change (the cache TTL). */
export function propagationDelay(document: Record<string, unknown>): string {
  const ttl = typeof document.cacheTtlSeconds === 'number' ? document.cacheTtlSeconds : 300;
  const minutes = Math.max(1, Math.ceil(ttl / 60));
  return minutes === 1 ? 'within 1 minute' : `within ${minutes} minutes`;
}
