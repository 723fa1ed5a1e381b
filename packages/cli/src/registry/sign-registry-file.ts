import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  checkRegistryDocument,
  type RegistrySigner,
  readRegistrySignatureFile,
  signRegistryDetached,
} from '@cartae/marketplace-core';
import { RegistryKeyError } from './registry-key-error.ts';
import { writeFileAtomic } from './write-registry.ts';

export interface SignedRegistryFile {
  readonly registry: string;
  readonly signature: string;
  /** SHA-256 of the registry bytes signed, hex. */
  readonly sha256: string;
  readonly version: number;
  /** Kids that signed now. */
  readonly signedBy: readonly string[];
  /** Kids kept from the existing file (not checked: their signature is over whatever they signed). */
  readonly kept: readonly string[];
  /** The file's bytes changed (Ed25519 is deterministic: signing the same bytes again changes nothing). */
  readonly changed: boolean;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Signs `registry.json`'s exact bytes with each key and writes the detached signature file
 * (default `<registry>.sig`). The registry must be one apps would accept (schema, expiry). With an
 * existing file, other keys' signatures are kept and each key's own replaced, so two people can
 * sign one after the other during a rotation; `fresh` starts a new file (to retire a key).
 *
 * @example
 * await signRegistryFile('registry/registry.json', [await readPrivateKey('release.private.jwk')]);
 */
export async function signRegistryFile(
  registryPath: string,
  signers: readonly RegistrySigner[],
  options: { readonly out?: string; readonly fresh?: boolean; readonly now?: number } = {},
): Promise<SignedRegistryFile> {
  const signaturePath = options.out ?? `${registryPath}.sig`;
  let bytes: Buffer;
  try {
    bytes = await readFile(registryPath);
  } catch (cause) {
    throw new RegistryKeyError(
      'unreadable',
      `cannot read the registry ${registryPath} (${(cause as Error).message})`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RegistryKeyError(
      'invalid',
      `${registryPath} is not JSON; sign the registry.json that "registry build" wrote`,
    );
  }
  const checked = checkRegistryDocument(document, {
    now: options.now ?? Date.now(),
    urlPolicy: { allowLoopbackHttp: true },
  });
  if (!checked.ok)
    throw new RegistryKeyError(
      'invalid',
      `${registryPath}: ${checked.error.message}; apps would refuse it, so it is not signed`,
    );
  const previous = options.fresh ? undefined : await readOptional(signaturePath);
  const read = previous === undefined ? undefined : readRegistrySignatureFile(previous);
  if (read && !read.ok)
    throw new RegistryKeyError(
      'invalid',
      `${signaturePath} cannot be read (${read.error}); use --fresh to start a new one`,
    );
  const signing = new Set(signers.map((s) => s.kid));
  const kept = read?.ok ? read.signatures.map((s) => s.kid).filter((kid) => !signing.has(kid)) : [];
  const payload = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text: string;
  try {
    text = await signRegistryDetached(payload, signers, previous === undefined ? {} : { existing: previous });
  } catch (cause) {
    throw new RegistryKeyError('invalid', (cause as Error).message);
  }
  const changed = text !== previous;
  if (changed) await writeFileAtomic(signaturePath, text);
  return {
    registry: registryPath,
    signature: signaturePath,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    version: checked.value.version,
    signedBy: [...signing],
    kept,
    changed,
  };
}
