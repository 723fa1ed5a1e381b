import { type ReactNode, useId } from 'react';

/**
 * One term and its value in a `<dl>`. A `live` value is a status named by its term: screen
 * readers announce when it changes (a fleet switch), and it is found as a person reads it,
 * `getByRole('status', { name: 'Served by' })`.
 */
export function Fact(props: { term: string; children: ReactNode; live?: boolean; className?: string }) {
  const id = useId();
  return (
    <div className={props.className}>
      <dt id={id}>{props.term}</dt>
      <dd>
        {props.live ? (
          <span role="status" aria-labelledby={id}>
            {props.children}
          </span>
        ) : (
          props.children
        )}
      </dd>
    </div>
  );
}
