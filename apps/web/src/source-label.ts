import { isSourceKind, SOURCE_KIND_TABLE, type SourceKind } from '@cartae/marketplace-core';

/** How a source is named on screen: `Git`, `Cloudflare CDN` (and an unknown kind as itself). */
export function sourceLabel(kind: SourceKind | string): string {
  return isSourceKind(kind) ? SOURCE_KIND_TABLE[kind].label : kind;
}
