/**
 * `@cartae/marketplace-resolver`'s version, sent in usage reports (`sdkVersion`). Kept equal to
 * package.json's `version` by a test (the SDK reads no files at run time).
 */
export const SDK_VERSION = '0.1.0';
