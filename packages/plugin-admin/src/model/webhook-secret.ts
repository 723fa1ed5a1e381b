/** Random bytes in a generated secret: 32 (256 bits), 43 characters once encoded. */
export const GENERATED_SECRET_BYTES = 32;

/**
 * A new webhook secret: {@link GENERATED_SECRET_BYTES} random bytes in base64url (no padding),
 * which `update_fleet_settings` accepts (16–256 characters, no spaces). `fill` is the random
 * source; the default is the platform's `crypto.getRandomValues`.
 *
 * @example
 * generateWebhookSecret(); // 'q3Xv…' (43 characters)
 */
export function generateWebhookSecret(
  fill: (bytes: Uint8Array<ArrayBuffer>) => void = (bytes) => {
    crypto.getRandomValues(bytes);
  },
): string {
  const bytes = new Uint8Array(GENERATED_SECRET_BYTES);
  fill(bytes);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
