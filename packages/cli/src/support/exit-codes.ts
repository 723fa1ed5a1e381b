import type { AdminErrorKind } from '@cartae/plugin-admin/service';

/** Distinct exit codes, so scripts can tell what went wrong without parsing messages. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  notAuthorised: 3,
  conflict: 4,
  invalid: 5,
  unreachable: 6,
  notFound: 7,
  cancelled: 8,
} as const;

export function exitCodeFor(kind: AdminErrorKind): number {
  switch (kind) {
    case 'not_authorised':
      return EXIT.notAuthorised;
    case 'conflict':
      return EXIT.conflict;
    case 'invalid':
      return EXIT.invalid;
    case 'network':
      return EXIT.unreachable;
    case 'not_found':
      return EXIT.notFound;
    default:
      return EXIT.failure;
  }
}

/** An error that ends the command with a message and an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
