import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The development admin's credentials: generated once per data folder (never committed), so
 * they stay the same across restarts of the local stack.
 */
export function devAdminCredentials(file: string): { email: string; password: string } {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { email: string; password: string };
  const credentials = { email: 'admin@cartae.local', password: randomBytes(12).toString('base64url') };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}
