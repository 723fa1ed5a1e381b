/**
 * The two halves of a field error, keyed as `documentFromDraft` keys errors
 * (`rolloutGuard.errorPercent`): props that mark a control invalid and point at its message, and
 * the message itself. `id` makes the message ids unique on the page (a `useId()`).
 */
export function fieldErrors(id: string, errors: Readonly<Record<string, string>>) {
  const errorId = (field: string) => `${id}-${field.replace(/\./g, '-')}-error`;
  return {
    invalid: (field: string) =>
      errors[field] ? { 'aria-invalid': true as const, 'aria-describedby': errorId(field) } : {},
    error: (field: string) =>
      errors[field] ? (
        <span id={errorId(field)} className="cartae-admin__field-error">
          {errors[field]}
        </span>
      ) : null,
  };
}
