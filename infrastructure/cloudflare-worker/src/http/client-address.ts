/**
 * The address Cloudflare saw the request come from (`CF-Connecting-IP`), or `null` outside
 * Cloudflare (tests, some local setups). The only reader of that header. The address is used for
 * rate limiting in memory, as a salted hash, and is never stored or sent anywhere.
 *
 * @example
 * clientAddress(request); // '203.0.113.7'
 */
export function clientAddress(request: Request): string | null {
  const address = request.headers.get('cf-connecting-ip')?.trim() ?? '';
  return address === '' || address.length > 64 ? null : address;
}
