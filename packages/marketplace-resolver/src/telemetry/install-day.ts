/** The UTC day of an instant, `YYYY-MM-DD`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * A report's `installDay`: the first 16 hex digits of SHA-256(installId + ':' + UTC day), so the
 * edge can count distinct installs per day without any install being followed from one day to
 * the next. The install id itself never leaves the device. Undefined where WebCrypto is missing
 * (an insecure browser context): then nothing is reported at all.
 *
 * @example
 * await installDay('5f0c…', Date.UTC(2026, 10, 30, 12, 34)); // 'a1b2c3d4e5f60718' (for 2026-11-30)
 */
export async function installDay(installId: string, at: number): Promise<string | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) return undefined;
  try {
    const digest = await subtle.digest('SHA-256', new TextEncoder().encode(`${installId}:${utcDay(at)}`));
    let hex = '';
    for (const byte of new Uint8Array(digest, 0, 8)) hex += byte.toString(16).padStart(2, '0');
    return hex;
  } catch {
    return undefined;
  }
}
