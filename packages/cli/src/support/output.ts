/** Where a command's result goes: JSON for scripts (`--json`), sentences for people. */
export interface Output {
  readonly json: boolean;
  /** The command's result: printed as JSON with `--json`, else `human()` is printed. */
  result(value: unknown, human: () => string): void;
  /** Progress and notes for people; silent with `--json` (stdout stays parseable). */
  note(line: string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(value, human) {
      process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
    },
    note(line) {
      if (!json) process.stderr.write(`${line}\n`);
    },
  };
}
