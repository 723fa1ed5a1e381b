import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The JWT secret the stand-in signs with: the one given, else the one remembered in
 * `secretFile` (created with a random secret on first use, mode 0600), else a random one for
 * this process only. Nothing is ever committed: the file lives beside the local data.
 */
export function resolveJwtSecret(options: { jwtSecret?: string; secretFile?: string }): string {
  if (options.jwtSecret) return options.jwtSecret;
  if (options.secretFile) {
    if (existsSync(options.secretFile)) return readFileSync(options.secretFile, 'utf8').trim();
    const secret = randomBytes(32).toString('base64url');
    mkdirSync(dirname(options.secretFile), { recursive: true });
    writeFileSync(options.secretFile, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
  return randomBytes(32).toString('base64url');
}
