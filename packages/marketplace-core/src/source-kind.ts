/** How one kind of source lays out the marketplace under its URL, and what people call it. */
export interface SourceKindSpec {
  /** The `marketplace_source` field that holds this source's URL; also a field of the config schema. */
  readonly urlField: string;
  /** The name on screen: `Git`, `Cloudflare CDN`. */
  readonly label: string;
  /** The name where room is short: a column, a chart legend, `Hybrid (CDN → Git)`. */
  readonly shortLabel: string;
  /** The icon on the admin panel's switch to this source alone. */
  readonly icon: string;
  /** The URL in the built-in config (`DEFAULT_MARKETPLACE_CONFIG`), if this kind has one. */
  readonly defaultUrl?: string;
  /** The concrete URLs of the logical routes (`api/plugins`, `api/plugins/{id}`) under the configured URL. */
  readonly routes: {
    readonly registry: (url: string) => string;
    readonly plugin: (url: string, id: string) => string;
  };
}

function joinPath(base: string, suffix: string): string {
  return `${base.replace(/\/+$/, '')}/${suffix}`;
}

/**
 * The one table of the source kinds this version of the code knows how to reach. Everything that
 * depends on a kind — its config field, routes, names, default URL — is read from here. Adding an
 * HTTP source (S3, Vercel, one's own server) is one entry here plus its URL field in
 * `config-schema.ts` (see the README: "Adding a source kind"). The order is the default order of
 * preference: a hybrid config that names no priority tries the CDN first.
 *
 * @example
 * const { urlField, routes, label } = SOURCE_KIND_TABLE.git;
 * routes.plugin(config[urlField], 'kanban'); // https://…/registry/plugins/kanban.json
 * label; // 'Git'
 */
export const SOURCE_KIND_TABLE = {
  cloudflare: {
    urlField: 'cloudflareUrl',
    label: 'Cloudflare CDN',
    shortLabel: 'CDN',
    icon: '☁️',
    defaultUrl: 'https://marketplace.cartae.com',
    // The Worker answers the logical paths themselves, under the configured origin.
    routes: {
      registry: (url) => joinPath(url, 'api/plugins'),
      plugin: (url, id) => joinPath(url, `api/plugins/${id}`),
    },
  },
  git: {
    urlField: 'gitUrl',
    label: 'Git',
    shortLabel: 'Git',
    icon: '📦',
    defaultUrl: 'https://raw.githubusercontent.com/cartae/marketplace/main/registry/registry.json',
    // A raw Git host serves files: the URL is the registry file, and plugin files sit next to it.
    routes: {
      registry: (url) => url,
      plugin: (url, id) => new URL(`plugins/${id}.json`, url).toString(),
    },
  },
} as const satisfies Readonly<Record<string, SourceKindSpec>>;

/**
 * A source kind this version knows: a key of {@link SOURCE_KIND_TABLE}.
 *
 * @example
 * const kind: SourceKind = 'cloudflare';
 */
export type SourceKind = keyof typeof SOURCE_KIND_TABLE;

/**
 * The known source kinds, in the table's order (the default order of preference).
 *
 * @example
 * SOURCE_KINDS; // ['cloudflare', 'git']
 */
export const SOURCE_KINDS = Object.keys(SOURCE_KIND_TABLE) as readonly SourceKind[];

/**
 * Narrows an unknown value to a known source kind; newer kinds are simply not recognised.
 *
 * @example
 * isSourceKind('git'); // true
 * isSourceKind('r2'); // false: a kind from a newer version
 */
export function isSourceKind(value: unknown): value is SourceKind {
  return (SOURCE_KINDS as readonly unknown[]).includes(value);
}

/**
 * A config field that holds a source's URL: `'cloudflareUrl' | 'gitUrl'`.
 *
 * @example
 * const field: SourceUrlField = SOURCE_KIND_TABLE.git.urlField; // 'gitUrl'
 */
export type SourceUrlField = (typeof SOURCE_KIND_TABLE)[SourceKind]['urlField'];

/** The source URL fields of a config, one optional field per kind. */
export type SourceUrls = { readonly [Field in SourceUrlField]?: string };

/** Config fields for the kinds `urlOf` gives a URL: `(kind) => …` → `{ gitUrl: … }`, in the table's order. */
export function sourceUrlFields(urlOf: (kind: SourceKind) => string | undefined): SourceUrls {
  const fields: { [Field in SourceUrlField]?: string } = {};
  for (const kind of SOURCE_KINDS) {
    const url = urlOf(kind);
    if (url !== undefined) fields[SOURCE_KIND_TABLE[kind].urlField] = url;
  }
  return fields;
}

/** Each kind's `defaultUrl` under its config field: the URLs of `DEFAULT_MARKETPLACE_CONFIG`. */
export const DEFAULT_SOURCE_URLS: SourceUrls = sourceUrlFields((kind) => {
  // Widened to the spec, so a kind without a default URL reads as `undefined`.
  const spec: SourceKindSpec = SOURCE_KIND_TABLE[kind];
  return spec.defaultUrl;
});
