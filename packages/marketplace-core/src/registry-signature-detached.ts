import { encodeBase64Url } from './base64url.ts';
import type { TrustedRegistryKey } from './registry-signature.ts';
import {
  REGISTRY_SIGNATURE_LIMITS,
  type ReadSignature,
  type RegistrySignatureEntry,
  readRegistrySignatureFile,
  registrySignatureFileText,
  registrySignatureHeader,
} from './registry-signature-file.ts';
import { registrySigningInput } from './registry-signature-input.ts';
import { importTrustedKey, REGISTRY_KEY_ID_PATTERN, subtleOrDefault } from './registry-signature-key.ts';

/** What became of one signature of the file, for `registry verify` and error messages. */
export interface SignatureCheck {
  readonly kid: string;
  /**
   * `valid`: by a trusted key, and it matches the bytes; `invalid`: by a trusted key, and it does
   * not; `untrusted`: by a key the app does not trust (not checked); `unsupported`: another
   * algorithm, another `typ`, or critical parameters (never counts).
   */
  readonly status: 'valid' | 'invalid' | 'untrusted' | 'unsupported';
  readonly detail?: string;
}

/**
 * Why a registry's signature was not accepted: `missing` (no signature file), `malformed` (not a
 * signature file this app can read: size, JSON, shape, duplicate kids), `untrusted` (signed only
 * by keys the app does not trust), `invalid` (a trusted key's signature does not match the bytes:
 * the registry or the file was changed, or was published without signing again).
 */
export type SignatureRefusal = 'missing' | 'malformed' | 'untrusted' | 'invalid';

export type RegistrySignatureVerdict =
  | { readonly ok: true; readonly kid: string; readonly checks: readonly SignatureCheck[] }
  | {
      readonly ok: false;
      readonly reason: SignatureRefusal;
      readonly message: string;
      readonly checks: readonly SignatureCheck[];
    };

function withPrefix(protectedPart: string, dotPayload: Uint8Array): Uint8Array<ArrayBuffer> {
  const input = new Uint8Array(protectedPart.length + dotPayload.length);
  for (let i = 0; i < protectedPart.length; i++) input[i] = protectedPart.charCodeAt(i);
  input.set(dotPayload, protectedPart.length);
  return input;
}

async function check(
  signature: ReadSignature,
  key: TrustedRegistryKey | undefined,
  dotPayload: Uint8Array,
  subtle: SubtleCrypto,
): Promise<SignatureCheck> {
  const { kid } = signature;
  if (signature.unsupported !== undefined)
    return { kid, status: 'unsupported', detail: signature.unsupported };
  if (!key) return { kid, status: 'untrusted' };
  if (signature.signature.length !== 64)
    return { kid, status: 'invalid', detail: 'is not a 64-byte Ed25519 signature' };
  try {
    const cryptoKey = await importTrustedKey(key, subtle);
    if (!cryptoKey) return { kid, status: 'invalid', detail: 'the trusted key is not a 32-byte Ed25519 key' };
    const input = withPrefix(signature.entry.protected, dotPayload);
    const valid = await subtle.verify({ name: 'Ed25519' }, cryptoKey, signature.signature, input);
    return valid
      ? { kid, status: 'valid' }
      : { kid, status: 'invalid', detail: 'does not match these registry bytes' };
  } catch (error) {
    return { kid, status: 'invalid', detail: `could not be checked (${String(error)})` };
  }
}

function quoted(kids: readonly string[]): string {
  return kids.map((k) => `"${k}"`).join(', ');
}

/**
 * Checks a detached signature file against the registry's exact bytes and the app's keys. Never
 * throws. Accepts when any signature by a trusted key verifies; by default stops at the first
 * that does (`all: true` checks every trusted one, for tools).
 *
 * @example
 * const verdict = await verifyRegistrySignature(registryBytes, sigText, [{ kid: 'release-2026', x }]);
 * if (!verdict.ok) console.warn(verdict.reason, verdict.message); // 'invalid', 'signature by key "release-2026" does not match…'
 */
export async function verifyRegistrySignature(
  registryBytes: Uint8Array,
  signatureText: string | undefined,
  keys: readonly TrustedRegistryKey[],
  options: { readonly all?: boolean; readonly subtle?: SubtleCrypto } = {},
): Promise<RegistrySignatureVerdict> {
  if (signatureText === undefined)
    return { ok: false, reason: 'missing', message: 'the registry has no signature file', checks: [] };
  const read = readRegistrySignatureFile(signatureText);
  if (!read.ok) return { ok: false, reason: 'malformed', message: read.error, checks: [] };
  const subtle = subtleOrDefault(options.subtle);
  // '.' + base64url(bytes), once for every signature: the registry is megabytes.
  let dotPayload: Uint8Array | undefined;
  const checks: SignatureCheck[] = [];
  let accepted: string | undefined;
  for (const signature of read.signatures) {
    const key = keys.find((k) => k.kid === signature.kid);
    if (key && signature.unsupported === undefined) dotPayload ??= registrySigningInput('', registryBytes);
    const result = await check(signature, key, dotPayload ?? new Uint8Array(), subtle);
    checks.push(result);
    if (result.status === 'valid') {
      accepted ??= result.kid;
      if (!options.all) break;
    }
  }
  if (accepted !== undefined) return { ok: true, kid: accepted, checks };
  const failed = checks.filter(
    (c) => (c.status === 'invalid' || c.status === 'unsupported') && keys.some((k) => k.kid === c.kid),
  );
  if (failed.length > 0) {
    const message = failed.map((c) => `signature by key "${c.kid}" ${c.detail}`).join('; ');
    return { ok: false, reason: 'invalid', message, checks };
  }
  return {
    ok: false,
    reason: 'untrusted',
    message: `the registry is signed only by keys this app does not trust (${quoted(checks.map((c) => c.kid))}); it trusts ${keys.length === 0 ? 'none' : quoted(keys.map((k) => k.kid))}`,
    checks,
  };
}

/** A private signing key and the id apps know its public half by. */
export interface RegistrySigner {
  readonly kid: string;
  readonly privateKey: CryptoKey;
}

/**
 * One signature entry over the registry's exact bytes.
 *
 * @example
 * const entry = await createRegistrySignature(bytes, { kid: 'release-2026', privateKey });
 */
export async function createRegistrySignature(
  registryBytes: Uint8Array,
  signer: RegistrySigner,
  subtle?: SubtleCrypto,
): Promise<RegistrySignatureEntry> {
  if (!REGISTRY_KEY_ID_PATTERN.test(signer.kid))
    throw new TypeError(`key id "${signer.kid}" must be 1–64 letters, digits, ".", "_" or "-"`);
  const protectedPart = registrySignatureHeader(signer.kid);
  const signature = await subtleOrDefault(subtle).sign(
    { name: 'Ed25519' },
    signer.privateKey,
    registrySigningInput(protectedPart, registryBytes),
  );
  return { protected: protectedPart, signature: encodeBase64Url(new Uint8Array(signature)) };
}

/**
 * Signs the registry's bytes with each signer and returns the signature file's text. With
 * `existing` (the current file's text), the signatures of other keys are kept, in their order, and
 * each signer's own is replaced or appended: two people holding the old and the new key can sign
 * one after the other during a rotation. Throws on a malformed `existing` or past 8 signatures.
 *
 * @example
 * await writeFile('registry.json.sig', await signRegistryDetached(bytes, [oldSigner, newSigner]));
 */
export async function signRegistryDetached(
  registryBytes: Uint8Array,
  signers: readonly RegistrySigner[],
  options: { readonly existing?: string; readonly subtle?: SubtleCrypto } = {},
): Promise<string> {
  const entries: { kid: string; entry: RegistrySignatureEntry }[] = [];
  if (options.existing !== undefined) {
    const read = readRegistrySignatureFile(options.existing);
    if (!read.ok) throw new Error(`the existing signature file cannot be read: ${read.error}`);
    for (const s of read.signatures) entries.push({ kid: s.kid, entry: s.entry });
  }
  for (const signer of signers) {
    const entry = await createRegistrySignature(registryBytes, signer, options.subtle);
    const at = entries.findIndex((e) => e.kid === signer.kid);
    if (at >= 0) entries[at] = { kid: signer.kid, entry };
    else entries.push({ kid: signer.kid, entry });
  }
  if (entries.length > REGISTRY_SIGNATURE_LIMITS.maxSignatures)
    throw new Error(
      `a signature file holds at most ${REGISTRY_SIGNATURE_LIMITS.maxSignatures} signatures; drop retired keys`,
    );
  return registrySignatureFileText(entries.map((e) => e.entry));
}
