import { createInterface } from 'node:readline/promises';
import { CliError, EXIT } from './exit-codes.ts';

/**
 * Asks "Proceed? [y/N]" on the terminal. `--yes` skips it; without a terminal and without
 * `--yes` the command refuses rather than guess.
 */
export async function confirmOrCancel(question: string, yes: boolean): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) {
    throw new CliError(`${question}\nNot a terminal: add --yes to confirm.`, EXIT.cancelled);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await rl.question(`${question}\nProceed? [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes')
      throw new CliError('Cancelled; nothing was changed.', EXIT.cancelled);
  } finally {
    rl.close();
  }
}
