const encoder = new TextEncoder();

/**
 * `sha256=<hex>`: HMAC-SHA256 of `${timestamp}.${body}` with the secret, as sent in
 * `x-cartae-signature` next to `x-cartae-timestamp` (Unix seconds). Signing the timestamp with the
 * body lets a receiver refuse replays older than its tolerance (5 minutes, see README.md).
 *
 * @example
 * await signAlert('s3cret', 1764517200, '{"text":"…"}'); // 'sha256=9f…'
 */
export async function signAlert(secret: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${body}`)));
  return `sha256=${Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
