/** What the Worker knows about one stored registry version, kept as KV metadata (< 1 KiB). */
export interface RegistrySnapshotMeta {
  /** The registry document's own `version`. */
  readonly version: number;
  /** Our strong ETag of the exact bytes: `"r{version}-{sha256 prefix}"`. */
  readonly etag: string;
  /** When the Worker stored these bytes, epoch ms. */
  readonly storedAt: number;
  /** Size of the registry bytes (the KV value holds the signature file after them). */
  readonly size: number;
  /** The Git host's ETag for these bytes, sent back as If-None-Match by the mirror. */
  readonly sourceEtag?: string;
  /** Key id whose signature the mirror verified with REGISTRY_TRUSTED_KEYS; absent when not verified. */
  readonly signedBy?: string;
  /** Size of the detached signature file stored with the bytes; absent when Git had none. */
  readonly signatureSize?: number;
  /** Our strong ETag of the signature file: `"s{version}-{sha256 prefix}"`. */
  readonly signatureEtag?: string;
  /** The Git host's ETag for the signature file, sent back as If-None-Match by the mirror. */
  readonly signatureSourceEtag?: string;
  /**
   * How many per-plugin shards the mirror stored for these bytes (`plugin-shards.ts`); absent for a
   * snapshot stored before shards, whose plugins are found by parsing the whole registry.
   */
  readonly pluginShards?: number;
}

/**
 * The exact bytes Git served for one registry version and, when Git served one next to them, its
 * detached signature file (`registry.json.sig`): stored, read and served as one, so a registry is
 * never paired with another registry's signature.
 */
export interface RegistrySnapshot {
  readonly bytes: ArrayBuffer;
  /** The signature file's text, exactly as Git served it. */
  readonly signature?: string;
  readonly meta: RegistrySnapshotMeta;
}
