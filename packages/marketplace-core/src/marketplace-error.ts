/**
 * Every failure the marketplace code can report, as one union. A code names what went wrong in
 * terms a caller can branch on; the message says what happened, to what, and what to do.
 */
export type MarketplaceErrorCode =
  | 'config_invalid'
  | 'url_rejected'
  | 'route_unknown'
  | 'registry_invalid_json'
  | 'registry_invalid'
  | 'registry_expired'
  | 'registry_rollback'
  | 'registry_unsigned'
  | 'registry_signature_invalid'
  | 'registry_too_large'
  | 'source_http_error'
  | 'source_rate_limited'
  | 'source_timeout'
  | 'source_network_error'
  | 'source_not_found'
  | 'no_source_available'
  | 'usage_report_invalid'
  | 'aborted';

/** Where in a document a validation problem sits, and what is wrong there. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export interface MarketplaceErrorJson {
  readonly name: 'MarketplaceError';
  readonly code: MarketplaceErrorCode;
  readonly message: string;
  readonly source?: string;
  readonly status?: number;
  readonly issues?: readonly FieldIssue[];
  readonly cause?: unknown;
}

/**
 * The error value used across the project. It is returned as data far more often than thrown.
 *
 * @example
 * const e = new MarketplaceError('url_rejected', 'gitUrl must use https', { issues: [{ path: 'gitUrl', message: 'must use https' }] });
 * JSON.stringify(e); // {"name":"MarketplaceError","code":"url_rejected",...}
 */
export class MarketplaceError extends Error {
  override readonly name = 'MarketplaceError';
  readonly code: MarketplaceErrorCode;
  readonly source: string | undefined;
  readonly status: number | undefined;
  readonly issues: readonly FieldIssue[] | undefined;

  constructor(
    code: MarketplaceErrorCode,
    message: string,
    details: { cause?: unknown; source?: string; status?: number; issues?: readonly FieldIssue[] } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.source = details.source;
    this.status = details.status;
    this.issues = details.issues;
  }

  toJSON(): MarketplaceErrorJson {
    const cause = this.cause;
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.source === undefined ? {} : { source: this.source }),
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.issues === undefined ? {} : { issues: this.issues }),
      ...(cause === undefined
        ? {}
        : { cause: cause instanceof MarketplaceError ? cause.toJSON() : describeCause(cause) }),
    };
  }
}

function describeCause(cause: unknown): unknown {
  if (cause instanceof Error) return { name: cause.name, message: cause.message };
  return cause;
}
