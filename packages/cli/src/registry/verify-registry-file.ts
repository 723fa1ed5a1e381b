import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  type SignatureCheck,
  type SignatureRefusal,
  type TrustedRegistryKey,
  verifyRegistrySignature,
} from '@cartae/marketplace-core';
import { RegistryKeyError } from './registry-key-error.ts';

/** What `registry verify` found, as `--json` prints it. */
export interface RegistryVerification {
  readonly valid: boolean;
  /** Why not, when not valid. */
  readonly reason: SignatureRefusal | null;
  /** The trusted key whose signature verified. */
  readonly signedBy: string | null;
  readonly message: string;
  readonly registry: string;
  readonly signature: string;
  /** SHA-256 of the registry bytes, hex. */
  readonly sha256: string;
  /** The registry's `version`, when it has one. */
  readonly version: number | null;
  /** Every signature of the file: `valid`, `invalid`, `untrusted` or `unsupported`. */
  readonly signatures: readonly SignatureCheck[];
}

/**
 * Verifies `registry.json` against its detached signature file (default `<registry>.sig`) and the
 * trusted keys, exactly as an app that ships them does, checking every trusted signature.
 *
 * @example
 * const report = await verifyRegistryFile('registry/registry.json', [{ kid: 'release-2026', x }]);
 * if (!report.valid) console.error(report.reason, report.message);
 */
export async function verifyRegistryFile(
  registryPath: string,
  trusted: readonly TrustedRegistryKey[],
  options: { readonly signature?: string } = {},
): Promise<RegistryVerification> {
  const signaturePath = options.signature ?? `${registryPath}.sig`;
  let bytes: Buffer;
  try {
    bytes = await readFile(registryPath);
  } catch (cause) {
    throw new RegistryKeyError(
      'unreadable',
      `cannot read the registry ${registryPath} (${(cause as Error).message})`,
    );
  }
  let signatureText: string | undefined;
  try {
    signatureText = await readFile(signaturePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const payload = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const verdict = await verifyRegistrySignature(payload, signatureText, trusted, { all: true });
  let version: number | null = null;
  try {
    const parsed = JSON.parse(bytes.toString('utf8')) as { version?: unknown };
    if (typeof parsed.version === 'number') version = parsed.version;
  } catch {
    // Not JSON: the signature still says whether these are the bytes that were signed.
  }
  const base = {
    valid: verdict.ok,
    reason: verdict.ok ? null : verdict.reason,
    signedBy: verdict.ok ? verdict.kid : null,
    registry: registryPath,
    signature: signaturePath,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    version,
    signatures: verdict.checks,
  };
  if (verdict.ok) return { ...base, message: `signed by "${verdict.kid}"` };
  const message = verdict.reason === 'missing' ? `no signature file at ${signaturePath}` : verdict.message;
  return { ...base, message };
}
