import type { SourceKind } from '@cartae/marketplace-core';

/** The four switches the admin panel offers, as the user's design names them. */
export const SOURCE_PRESETS = [
  { id: 'git', label: '📦 Git', name: 'Git', type: 'git', priority: ['git'] },
  {
    id: 'cloudflare',
    label: '☁️ Cloudflare CDN',
    name: 'Cloudflare CDN',
    type: 'cloudflare',
    priority: ['cloudflare'],
  },
  {
    id: 'hybrid-cdn-first',
    label: '🔄 Hybrid (CDN → Git)',
    name: 'Hybrid, CDN first then Git',
    type: 'hybrid',
    priority: ['cloudflare', 'git'],
  },
  {
    id: 'hybrid-git-first',
    label: '🔄 Hybrid (Git → CDN)',
    name: 'Hybrid, Git first then CDN',
    type: 'hybrid',
    priority: ['git', 'cloudflare'],
  },
] as const satisfies readonly {
  id: string;
  label: string;
  name: string;
  type: 'git' | 'cloudflare' | 'hybrid';
  priority: readonly SourceKind[];
}[];

export type SourcePreset = (typeof SOURCE_PRESETS)[number];
export type SourcePresetId = SourcePreset['id'];

/** Which preset a document is in (by type and priority), if any. */
export function presetOf(document: Record<string, unknown>): SourcePreset | undefined {
  const type = document.type;
  const priority = Array.isArray(document.priority)
    ? document.priority
    : type === 'hybrid'
      ? ['cloudflare', 'git']
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
