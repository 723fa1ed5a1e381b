const ALPHABET = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
const DOT = 0x2e;

/**
 * The JWS Signing Input of a detached registry signature (RFC 7515 §5.1, Appendix F):
 * `ASCII(protected) || '.' || ASCII(base64url(registry bytes))`, built as bytes in one pass. The
 * registry is megabytes; going through strings (`btoa`) would copy it three times, this once.
 *
 * @example
 * const input = registrySigningInput('eyJhbGciOiJFZERTQSJ9', new TextEncoder().encode('{}'));
 * new TextDecoder().decode(input); // 'eyJhbGciOiJFZERTQSJ9.e30'
 */
export function registrySigningInput(protectedPart: string, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const head = protectedPart.length;
  const full = Math.floor(payload.length / 3) * 3;
  const rest = payload.length - full;
  const out = new Uint8Array(head + 1 + (full / 3) * 4 + (rest === 0 ? 0 : rest + 1));
  // The protected part is base64url already: ASCII, one byte per character.
  for (let i = 0; i < head; i++) out[i] = protectedPart.charCodeAt(i);
  out[head] = DOT;
  let o = head + 1;
  for (let i = 0; i < full; i += 3) {
    const n = ((payload[i] as number) << 16) | ((payload[i + 1] as number) << 8) | (payload[i + 2] as number);
    out[o++] = ALPHABET[n >>> 18] as number;
    out[o++] = ALPHABET[(n >>> 12) & 63] as number;
    out[o++] = ALPHABET[(n >>> 6) & 63] as number;
    out[o++] = ALPHABET[n & 63] as number;
  }
  if (rest === 1) {
    const n = (payload[full] as number) << 16;
    out[o++] = ALPHABET[n >>> 18] as number;
    out[o++] = ALPHABET[(n >>> 12) & 63] as number;
  } else if (rest === 2) {
    const n = ((payload[full] as number) << 16) | ((payload[full + 1] as number) << 8);
    out[o++] = ALPHABET[n >>> 18] as number;
    out[o++] = ALPHABET[(n >>> 12) & 63] as number;
    out[o++] = ALPHABET[(n >>> 6) & 63] as number;
  }
  return out;
}
