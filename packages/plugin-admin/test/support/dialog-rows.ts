import { within } from '@testing-library/react';

/** The text of every row of a dialog's change table whose name matches, in the table's order. */
export function rowTexts(dialog: HTMLElement, name: RegExp): string[] {
  return within(dialog)
    .getAllByRole('row', { name })
    .map((row) => row.textContent ?? '');
}
