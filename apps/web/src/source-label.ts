import type { SourceKind } from '@cartae/marketplace-core';

const LABELS: Record<SourceKind, string> = { git: 'Git', cloudflare: 'Cloudflare CDN' };

/** How a source is named on screen: `Git`, `Cloudflare CDN` (and an unknown kind as itself). */
export function sourceLabel(kind: SourceKind | string): string {
  return (LABELS as Record<string, string>)[kind] ?? kind;
}
