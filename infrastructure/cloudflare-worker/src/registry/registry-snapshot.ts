/** What the Worker knows about one stored registry version, kept as KV metadata (< 1 KiB). */
export interface RegistrySnapshotMeta {
  /** The registry document's own `version`. */
  readonly version: number;
  /** Our strong ETag of the exact bytes: `"r{version}-{sha256 prefix}"`. */
  readonly etag: string;
  /** When the Worker stored these bytes, epoch ms. */
  readonly storedAt: number;
  readonly size: number;
  /** The Git host's ETag for these bytes, sent back as If-None-Match by the mirror. */
  readonly sourceEtag?: string;
  /** Key id that signed the registry, when it is signed. */
  readonly signedBy?: string;
}

/** The exact bytes Git served for one registry version, with what we know about them. */
export interface RegistrySnapshot {
  readonly bytes: ArrayBuffer;
  readonly meta: RegistrySnapshotMeta;
}
