import type { ReactNode } from 'react';

/** One changed setting: its name, and its value before and after, already in words. */
export interface ChangeRow {
  readonly key: string;
  readonly name: string;
  readonly before: string;
  readonly after: string;
}

/**
 * What a confirmation changes, a row per setting: its name, the value it has (struck through) and
 * the value it will have. Shared by the review step (against the saved config) and the fleet
 * settings confirmation (against the settings now).
 */
export function ChangeTable(props: {
  caption: ReactNode;
  /** The heading of the current values' column: `Saved`, `Now`. */
  beforeLabel: string;
  rows: readonly ChangeRow[];
  className?: string;
}) {
  return (
    <table className={['cartae-admin__diff', props.className].filter(Boolean).join(' ')}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Setting</th>
          <th scope="col">{props.beforeLabel}</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.name}</th>
            <td>
              <del>{row.before}</del>
            </td>
            <td>
              <ins>{row.after}</ins>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
