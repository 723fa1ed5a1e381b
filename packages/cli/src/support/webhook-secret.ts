import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CliError, EXIT } from './exit-codes.ts';

/** How `automation webhook` is told the secret; never as a plain argument (shell history). */
export interface SecretFlags {
  secretFile?: string;
  secretStdin?: boolean;
  generateSecret?: boolean;
  /** commander's `--no-secret`: false when given. */
  secret?: boolean;
}

/** 32 random bytes, base64url: 43 characters, within the database's 16–256 and without spaces. */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A file's or a pipe's content without its final line break (editors and `echo` add one). */
const withoutFinalNewline = (text: string) => text.replace(/\r?\n$/, '');

/**
 * The secret to set: a string, `null` to remove it, or `undefined` to leave it as it is. At most
 * one way may be given.
 */
export async function readWebhookSecret(
  flags: SecretFlags,
  stdin: AsyncIterable<Buffer | string> = process.stdin,
): Promise<string | null | undefined> {
  const ways = [
    flags.secretFile !== undefined && '--secret-file',
    flags.secretStdin === true && '--secret-stdin',
    flags.generateSecret === true && '--generate-secret',
    flags.secret === false && '--no-secret',
  ].filter(Boolean);
  if (ways.length > 1) throw new CliError(`Give at most one of ${ways.join(', ')}.`, EXIT.usage);
  if (flags.secret === false) return null;
  if (flags.generateSecret) return generateWebhookSecret();
  if (flags.secretFile !== undefined) {
    try {
      return withoutFinalNewline(readFileSync(flags.secretFile, 'utf8'));
    } catch (error) {
      throw new CliError(
        `Cannot read the secret file ${flags.secretFile}: ${(error as Error).message}`,
        EXIT.usage,
      );
    }
  }
  if (flags.secretStdin) {
    let text = '';
    for await (const chunk of stdin) text += String(chunk);
    return withoutFinalNewline(text);
  }
  return undefined;
}
