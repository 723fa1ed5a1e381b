/**
 * What the page says about the registry's signature. An app with trusted keys only ever shows
 * a registry one of them signed, so it names the key; an app without keys never asks for the
 * signature file and says so, rather than guess. Pure.
 *
 * @example
 * signatureLabel('release-2026', true); // 'Verified: signed by release-2026'
 * signatureLabel(undefined, false); // 'Not checked: this app ships no signing key'
 */
export function signatureLabel(signedBy: string | undefined, checksSignatures: boolean): string {
  if (!checksSignatures) return 'Not checked: this app ships no signing key';
  return signedBy === undefined ? 'Unsigned' : `Verified: signed by ${signedBy}`;
}
