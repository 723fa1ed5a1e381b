/**
 * A random install id (UUID v4 when WebCrypto is there). Only its hash is ever used: it places
 * the install in a canary bucket and never leaves the device.
 */
export function generateInstallId(random: () => number): string {
  const uuid = globalThis.crypto?.randomUUID?.();
  if (uuid) return uuid;
  return Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
}
