/** What can stop a registry build, as one union a caller (the CLI) can branch on. */
export type RegistryBuildErrorCode =
  | 'folder_unreadable'
  | 'plugin_invalid'
  | 'plugin_duplicate'
  | 'previous_invalid'
  | 'options_invalid'
  | 'version_not_increasing'
  | 'registry_invalid';

/** One problem in one file: `file` is relative to the registry folder, `field` a dotted path. */
export interface BuildIssue {
  readonly file: string;
  readonly field: string;
  readonly message: string;
}

export interface RegistryBuildErrorJson {
  readonly name: 'RegistryBuildError';
  readonly code: RegistryBuildErrorCode;
  readonly message: string;
  readonly issues: readonly BuildIssue[];
}

/** `plugins/kanban.json: sha256: must be 64 lowercase hex digits` */
export function formatIssue(issue: BuildIssue): string {
  return issue.field === ''
    ? `${issue.file}: ${issue.message}`
    : `${issue.file}: ${issue.field}: ${issue.message}`;
}

/**
 * Why `buildRegistryFromFolder` refused to build. The message names every file and field at
 * fault, one per line, so a person can fix them all in one pass.
 *
 * @example
 * try { await buildRegistryFromFolder('registry'); }
 * catch (e) { if (e instanceof RegistryBuildError) console.error(e.message); }
 */
export class RegistryBuildError extends Error {
  override readonly name = 'RegistryBuildError';
  readonly code: RegistryBuildErrorCode;
  readonly issues: readonly BuildIssue[];

  constructor(
    code: RegistryBuildErrorCode,
    summary: string,
    issues: readonly BuildIssue[] = [],
    cause?: unknown,
  ) {
    const lines = issues.map((issue) => `  - ${formatIssue(issue)}`);
    super([summary, ...lines].join('\n'), cause === undefined ? undefined : { cause });
    this.code = code;
    this.issues = issues;
  }

  toJSON(): RegistryBuildErrorJson {
    return { name: this.name, code: this.code, message: this.message, issues: this.issues };
  }
}
