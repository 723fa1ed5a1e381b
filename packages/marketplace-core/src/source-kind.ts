/** The kinds of marketplace source this version of the code knows how to reach. */
export const SOURCE_KINDS = ['cloudflare', 'git'] as const;

export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Narrows an unknown value to a known source kind; newer kinds are simply not recognised. */
export function isSourceKind(value: unknown): value is SourceKind {
  return value === 'cloudflare' || value === 'git';
}

/** The config field that holds the URL of each source kind. */
export const SOURCE_URL_FIELD = { cloudflare: 'cloudflareUrl', git: 'gitUrl' } as const satisfies Record<
  SourceKind,
  string
>;
