import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  exportTrustedKey,
  REGISTRY_KEY_ID_PATTERN,
  type RegistrySigner,
  readTrustedKey,
  type TrustedRegistryKey,
} from '@cartae/marketplace-core';
import { RegistryKeyError } from './registry-key-error.ts';

/** The private half as `registry keygen` writes it: an Ed25519 JWK (RFC 8037) with its key id. */
export interface PrivateRegistryJwk {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly alg: 'EdDSA';
  readonly kid: string;
  readonly x: string;
  readonly d: string;
}

export interface GeneratedRegistryKey {
  readonly publicKey: TrustedRegistryKey;
  readonly privateJwk: PrivateRegistryJwk;
  readonly privateKeyPath: string;
  readonly publicKeyPath: string;
}

/** The default key id: the day it was made, so a rotation's keys sort and say their age. */
export function defaultKeyId(now: Date): string {
  return `registry-${now.toISOString().slice(0, 10)}`;
}

/**
 * Generates an Ed25519 signing key and writes `<kid>.private.jwk` (mode 0600) and
 * `<kid>.public.json` (`{ kid, x }`, what apps ship in `trustedKeys`) into `folder`. Never
 * overwrites a file: an existing one is a `RegistryKeyError` ('exists').
 *
 * @example
 * const key = await generateRegistryKey('keys', 'release-2026');
 * console.log(JSON.stringify(key.publicKey)); // {"kid":"release-2026","x":"…"}
 */
export async function generateRegistryKey(folder: string, kid: string): Promise<GeneratedRegistryKey> {
  if (!REGISTRY_KEY_ID_PATTERN.test(kid))
    throw new RegistryKeyError('invalid', `key id "${kid}" must be 1–64 letters, digits, ".", "_" or "-"`);
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  const publicKey = await exportTrustedKey(kid, pair.publicKey);
  const privateJwk: PrivateRegistryJwk = {
    kty: 'OKP',
    crv: 'Ed25519',
    alg: 'EdDSA',
    kid,
    x: publicKey.x,
    d: String(jwk.d),
  };
  const dir = resolve(folder);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const privateKeyPath = join(dir, `${kid}.private.jwk`);
  const publicKeyPath = join(dir, `${kid}.public.json`);
  await writeNew(privateKeyPath, `${JSON.stringify(privateJwk, null, 2)}\n`, 0o600);
  await writeNew(publicKeyPath, `${JSON.stringify(publicKey, null, 2)}\n`, 0o644);
  return { publicKey, privateJwk, privateKeyPath, publicKeyPath };
}

async function writeNew(path: string, text: string, mode: number): Promise<void> {
  try {
    await writeFile(path, text, { encoding: 'utf8', flag: 'wx', mode });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new RegistryKeyError(
        'exists',
        `${path} already exists; refusing to overwrite a key (pick another --kid or --out)`,
      );
    throw error;
  }
}

/** Reads a private key written by `registry keygen` (any Ed25519 private JWK with a `kid`). */
export async function readPrivateKey(path: string): Promise<RegistrySigner> {
  let jwk: Partial<PrivateRegistryJwk>;
  try {
    jwk = JSON.parse(await readFile(path, 'utf8')) as Partial<PrivateRegistryJwk>;
  } catch (cause) {
    throw new RegistryKeyError(
      'unreadable',
      `cannot read the private key ${path} (${(cause as Error).message})`,
    );
  }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string' || typeof jwk.x !== 'string')
    throw new RegistryKeyError(
      'invalid',
      `${path} is not an Ed25519 private JWK (kty OKP, crv Ed25519, d, x)`,
    );
  if (typeof jwk.kid !== 'string' || !REGISTRY_KEY_ID_PATTERN.test(jwk.kid))
    throw new RegistryKeyError(
      'invalid',
      `${path} has no valid "kid" (1–64 letters, digits, ".", "_" or "-")`,
    );
  try {
    const privateKey = await crypto.subtle.importKey(
      'jwk',
      { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d },
      { name: 'Ed25519' },
      false,
      ['sign'],
    );
    return { kid: jwk.kid, privateKey };
  } catch (cause) {
    throw new RegistryKeyError(
      'invalid',
      `${path} holds no usable Ed25519 key (${(cause as Error).message})`,
    );
  }
}

const INLINE_KEY = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63}):([A-Za-z0-9_-]{43})$/;

/**
 * The keys one `--trust` names: `kid:x` inline, or a file holding `{ kid, x }`, a list of them, or
 * a JWK Set (`{ keys: […] }`) — what `registry keygen` writes as `<kid>.public.json`.
 */
export async function readTrustArgument(argument: string): Promise<TrustedRegistryKey[]> {
  const inline = INLINE_KEY.exec(argument);
  const values: unknown[] = [];
  if (inline) values.push({ kid: inline[1], x: inline[2] });
  else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(argument, 'utf8'));
    } catch (cause) {
      throw new RegistryKeyError(
        'unreadable',
        `--trust ${argument}: not kid:x, nor a readable JSON key file (${(cause as Error).message})`,
      );
    }
    const keys = (parsed as { keys?: unknown }).keys;
    values.push(...(Array.isArray(parsed) ? parsed : Array.isArray(keys) ? keys : [parsed]));
  }
  return values.map((value) => {
    const read = readTrustedKey(value);
    if (!read.ok) throw new RegistryKeyError('invalid', `--trust ${argument}: ${read.error}`);
    return read.value;
  });
}
