import type { MarketplaceError, RegistryDocument, SourceKind } from '@cartae/marketplace-core';

/** What `getRegistry()` returns: never thrown, always one of these. */
export type RegistryResult =
  | {
      readonly ok: true;
      readonly registry: RegistryDocument;
      /** Which source served it. */
      readonly source: SourceKind;
      readonly url: string;
      /** True when every source failed and this is the last good copy. */
      readonly stale: boolean;
      /** When these bytes were fetched from `source`, epoch ms. */
      readonly fetchedAt: number;
      readonly ageMs: number;
      /** Served by a source other than the first choice. */
      readonly fallback: boolean;
      /** Key id of the verified signature, when signed. */
      readonly signedBy?: string;
      /** Config version the decision was made with. */
      readonly configVersion: number | undefined;
      /** Why it is stale, when it is. */
      readonly error?: MarketplaceError;
    }
  | { readonly ok: false; readonly error: MarketplaceError; readonly configVersion: number | undefined };
