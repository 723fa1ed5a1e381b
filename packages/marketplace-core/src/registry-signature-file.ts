import { decodeBase64Url, encodeBase64Url } from './base64url.ts';
import { REGISTRY_KEY_ID_PATTERN } from './registry-signature-key.ts';

/**
 * # Detached registry signatures (SPEC 4.7)
 *
 * A small JSON file served **next to** the registry, never instead of it: Git serves it at the
 * registry's URL + `.sig` (`…/registry/registry.json.sig`), the CDN at `{cloudflareUrl}/api/plugins.sig`
 * (logical route `registry-signature`, see `routes.ts`). It is a JWS in the General JSON
 * Serialization with a detached payload (RFC 7515 §7.2.1 and Appendix F), one entry per signing key:
 *
 * ```json
 * {
 *   "signatures": [
 *     {
 *       "protected": "<base64url of {\"alg\":\"EdDSA\",\"kid\":\"release-2026\",\"typ\":\"cartae-registry-signature\"}>",
 *       "signature": "<base64url of Ed25519(ASCII(protected) + '.' + base64url(registry bytes))>"
 *     }
 *   ]
 * }
 * ```
 *
 * - The payload is the registry's exact bytes as served (no JSON canonicalisation); it is not in
 *   the file (detached), so the file stays under {@link REGISTRY_SIGNATURE_LIMITS}`.maxBytes`.
 * - Header: `alg` must be `EdDSA` (Ed25519), `kid` names the key (1–64 of `A-Za-z0-9._-`), `typ`
 *   must be `cartae-registry-signature` (explicit typing, RFC 8725 §3.11: a signature made for
 *   anything else is never one over a registry), `crit` must be absent. Parameters in an
 *   unprotected `header` are ignored. Signatures must be 64 bytes.
 * - At most 8 KiB and 8 signatures, kids unique, or the whole file is refused. A signature whose
 *   `alg` is not EdDSA, whose `typ` differs or that carries `crit` is refused on its own and never
 *   counts; the others still can, so a later algorithm can sign next to EdDSA without breaking
 *   installed apps.
 * - An app accepts the registry when **any** signature by a key it trusts verifies: during a key
 *   rotation the old and the new key both sign, apps with either key accept.
 *
 * Why this shape: TUF wraps the metadata (`{"signed": …, "signatures": […]}`), so a reader without
 * keys must understand the wrapper — exactly what stops signing from being turned on for a fleet
 * already installed (and what our earlier JWS envelope did). Homebrew serves a JWS of its API JSON
 * as a file of its own, but with the payload inside, so the JSON is downloaded twice. A detached
 * JWS keeps the registry's bytes untouched for apps without keys (they never ask for the file),
 * costs a keyed app one small request only when the registry's bytes change, carries TUF's
 * several-signatures-per-document for rotation, and is standard JWS that any JOSE library verifies.
 */
export const REGISTRY_SIGNATURE_TYPE = 'cartae-registry-signature';

/** Bounds a reader enforces before anything else, so a hostile file costs nothing. */
export const REGISTRY_SIGNATURE_LIMITS = {
  maxBytes: 8 * 1024,
  maxSignatures: 8,
} as const;

/** One signature as the file carries it. */
export interface RegistrySignatureEntry {
  readonly protected: string;
  readonly signature: string;
}

/** One signature, read: its key id, and why it can never count when it cannot. */
export interface ReadSignature {
  readonly entry: RegistrySignatureEntry;
  readonly kid: string;
  readonly alg: string;
  readonly signature: Uint8Array<ArrayBuffer>;
  /** Set when the signature can never be accepted: another algorithm, or critical parameters. */
  readonly unsupported: string | undefined;
}

export type ReadSignatureFile =
  | { readonly ok: true; readonly signatures: readonly ReadSignature[] }
  | { readonly ok: false; readonly error: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readEntry(value: unknown, index: number): ReadSignature | string {
  const at = `signature ${index + 1}`;
  if (!isRecord(value)) return `${at} is not an object`;
  const { protected: protectedPart, signature } = value;
  if (typeof protectedPart !== 'string' || typeof signature !== 'string')
    return `${at} needs "protected" and "signature" strings`;
  const headerBytes = decodeBase64Url(protectedPart);
  const signatureBytes = decodeBase64Url(signature);
  if (!headerBytes || !signatureBytes) return `${at} is not base64url`;
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch {
    return `${at} has an unreadable protected header`;
  }
  if (!isRecord(header)) return `${at} has an unreadable protected header`;
  const { kid, alg, typ, crit } = header;
  if (typeof kid !== 'string' || !REGISTRY_KEY_ID_PATTERN.test(kid))
    return `${at} has no valid "kid" (1–64 letters, digits, ".", "_" or "-")`;
  let unsupported: string | undefined;
  if (alg !== 'EdDSA') unsupported = `uses algorithm ${JSON.stringify(alg)}; only EdDSA is accepted`;
  else if (typ !== REGISTRY_SIGNATURE_TYPE)
    unsupported = `has typ ${JSON.stringify(typ)}, not "${REGISTRY_SIGNATURE_TYPE}": it was not made for a registry`;
  else if (crit !== undefined)
    unsupported = 'has critical header parameters ("crit") this app does not understand';
  return {
    entry: { protected: protectedPart, signature },
    kid,
    alg: String(alg),
    signature: signatureBytes,
    unsupported,
  };
}

/**
 * Reads a signature file from untrusted text: size, JSON, shape, unique kids. Never throws.
 * Checks no signature: see `verifyRegistrySignature`.
 *
 * @example
 * const read = readRegistrySignatureFile(await (await fetch(`${registryUrl}.sig`)).text());
 * if (read.ok) read.signatures.map((s) => s.kid); // ['release-2026', 'release-2027']
 */
export function readRegistrySignatureFile(text: string): ReadSignatureFile {
  const fail = (error: string): ReadSignatureFile => ({ ok: false, error });
  // UTF-16 length bounds UTF-8 length from below: check it before encoding anything.
  if (
    text.length > REGISTRY_SIGNATURE_LIMITS.maxBytes ||
    new TextEncoder().encode(text).length > REGISTRY_SIGNATURE_LIMITS.maxBytes
  )
    return fail(`signature file is larger than ${REGISTRY_SIGNATURE_LIMITS.maxBytes} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('signature file is not valid JSON');
  }
  if (!isRecord(value) || !Array.isArray(value.signatures))
    return fail('signature file must be a JSON object with a "signatures" array');
  if ('payload' in value) return fail('signature file carries a payload; it must be detached');
  const list = value.signatures;
  if (list.length === 0) return fail('signature file has no signatures');
  if (list.length > REGISTRY_SIGNATURE_LIMITS.maxSignatures)
    return fail(
      `signature file has ${list.length} signatures; at most ${REGISTRY_SIGNATURE_LIMITS.maxSignatures} are read`,
    );
  const signatures: ReadSignature[] = [];
  const kids = new Set<string>();
  for (let index = 0; index < list.length; index++) {
    const read = readEntry(list[index], index);
    if (typeof read === 'string') return fail(read);
    if (kids.has(read.kid)) return fail(`signature file has two signatures by key "${read.kid}"`);
    kids.add(read.kid);
    signatures.push(read);
  }
  return { ok: true, signatures };
}

/** The protected header of a signature by `kid`, base64url, in a fixed key order. */
export function registrySignatureHeader(kid: string): string {
  const header = { alg: 'EdDSA', kid, typ: REGISTRY_SIGNATURE_TYPE };
  return encodeBase64Url(new TextEncoder().encode(JSON.stringify(header)));
}

/**
 * The file's text for these signatures: 2-space JSON and a trailing newline, so the same
 * signatures always give the same bytes (Ed25519 is deterministic: so does signing the same
 * registry with the same keys).
 */
export function registrySignatureFileText(signatures: readonly RegistrySignatureEntry[]): string {
  const list = signatures.map((s) => ({ protected: s.protected, signature: s.signature }));
  return `${JSON.stringify({ signatures: list }, null, 2)}\n`;
}
