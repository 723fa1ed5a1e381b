import type * as z from 'zod/mini';
import type { FieldIssue } from './marketplace-error.ts';

/** Turns zod issues into `{ path, message }` pairs a person can read. */
export function toFieldIssues(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(document)',
    message: issue.message,
  }));
}

/** Size of a JSON value once serialised, in UTF-8 bytes. */
export function jsonByteLength(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value) ?? '').length;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
