import { isSourceKind, SOURCE_KIND_TABLE } from '@cartae/marketplace-core';

/** Counts as alerts write them: `1,234`. */
export const count = new Intl.NumberFormat('en-US');

/** A finite number from an answer's evidence, or `undefined` (whatever the field holds). Pure. */
export const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** How a person names a source kind (`SOURCE_KIND_TABLE`'s short label: CDN, Git), else as given. Pure. */
export const sourceName = (kind: unknown): string =>
  typeof kind === 'string' && isSourceKind(kind) ? SOURCE_KIND_TABLE[kind].shortLabel : String(kind);
