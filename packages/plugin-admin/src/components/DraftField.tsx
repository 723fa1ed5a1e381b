import type { fieldErrors } from './field-errors.tsx';

/**
 * One labelled text or number input of a settings draft, with its field error under it (keyed as
 * `documentFromDraft` keys errors, e.g. `rolloutGuard.windowMinutes`). The value stays the text
 * typed: the draft is checked as a whole when it is saved.
 */
export function DraftField(props: {
  id: string;
  label: string;
  /** The error key and the document path it stands for. */
  field: string;
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  inputMode: 'decimal' | 'numeric';
  type?: 'number' | 'text';
  min?: number;
  max?: number;
  errors: ReturnType<typeof fieldErrors>;
}) {
  const { invalid, error } = props.errors;
  return (
    <div className="cartae-admin__field">
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? 'number'}
        inputMode={props.inputMode}
        {...(props.min === undefined ? {} : { min: props.min })}
        {...(props.max === undefined ? {} : { max: props.max })}
        placeholder={props.placeholder}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        {...invalid(props.field)}
      />
      {error(props.field)}
    </div>
  );
}
