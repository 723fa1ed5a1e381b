/**
 * A key or signature file problem in `registry keygen/sign/verify`, with what to do:
 * `exists` (refusing to overwrite), `unreadable` (missing or not JSON), `invalid` (not a usable key
 * or registry).
 */
export class RegistryKeyError extends Error {
  override readonly name = 'RegistryKeyError';

  constructor(
    readonly code: 'exists' | 'unreadable' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}
